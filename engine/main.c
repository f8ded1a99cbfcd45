/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main.c: the vmkit program (placeholder until the board lands). */
int main(void)
{
    return 0;
}
