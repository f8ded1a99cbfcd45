/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-fp.c: floating-point workload for `make bench` — a dense matrix
 * product and a Mandelbrot loop in double precision. */
#include <stdint.h>

const char vk_test_name[] = __BASE_FILE__;
int test_main(void);

#define M 96
static double x[M][M], y[M][M], z[M][M];

int test_main(void)
{
    volatile double sink = 0;
    int iters = 0;

    for (int i = 0; i < M; i++) {
        for (int j = 0; j < M; j++) {
            x[i][j] = (i * 7 + j) * 0.001;
            y[i][j] = (i - j) * 0.002;
        }
    }
    for (int r = 0; r < 6; r++) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) {
                double s = 0;
                for (int k = 0; k < M; k++) {
                    s += x[i][k] * y[k][j];
                }
                z[i][j] = s;
            }
        }
        sink += z[r][r];
    }
    for (int py = 0; py < 120; py++) {
        for (int px = 0; px < 160; px++) {
            double cr = -2.0 + px * 0.01875, ci = -1.2 + py * 0.02;
            double zr = 0, zi = 0;
            int n = 0;
            while (n < 200 && zr * zr + zi * zi < 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                n++;
            }
            iters += n;
        }
    }
    sink += iters;
    return 0;
}
