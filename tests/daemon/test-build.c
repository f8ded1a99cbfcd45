/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/daemon/test-build.c: exact engine argv built from domain XML. */
#include "config.h"

#include <string.h>

#include "daemon/build.h"
#include "daemon/error.h"
#include "tests/daemon/test-common.h"

#define UUID "c7a5fdbd-edaf-9455-926a-d65c16db1809"
#define HEAD(name, mem)                                                        \
    "vmkit", "-M", "virt", "-m", mem, "-smp", "1", "-name", name, "-uuid",     \
        UUID, "-nographic"
/* the hot-plug ports a definition without controllers gets */
#define PORTS                                                                  \
    "-device", "pcie-root-port,id=pci.1,chassis=1,slot=1,port=0x10,addr=0x1c", \
        "-device",                                                             \
        "pcie-root-port,id=pci.2,chassis=2,slot=2,port=0x11,addr=0x1d",        \
        "-device",                                                             \
        "pcie-root-port,id=pci.3,chassis=3,slot=3,port=0x12,addr=0x1e",        \
        "-device",                                                             \
        "pcie-root-port,id=pci.4,chassis=4,slot=4,port=0x13,addr=0x1f"

/* A domain around @devices, with everything random given explicitly. */
static VmdDomainDef *make_def(const char *name, const char *memory,
                              const char *os, const char *devices)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = g_strdup_printf(
        "<domain type='vmkit' "
        "xmlns:vmkit='http://vmkit.org/schemas/domain/1.0'>"
        "<name>%s</name><uuid>" UUID "</uuid>%s"
        "<os><type arch='riscv64' machine='virt'>hvm</type>%s</os>"
        "<devices>%s</devices></domain>",
        name, memory, os, devices);
    VmdDomainDef *def = vmd_domain_def_new_from_xml(xml, -1, NULL, &error);

    g_assert_no_error(error);
    return def;
}

/* the runtime prefix vmd gives (RUNDIR/UUID): hub sockets */
#define HUB_BASE "/run/vmkit/" UUID

static VmdBuildResult *build(const VmdDomainDef *def, const int *fds,
                             guint n_fds, int control)
{
    g_autoptr(GError) error = NULL;
    VmdBuildOptions opts = {NULL, control, fds, n_fds, HUB_BASE};
    VmdBuildResult *res = vmd_build_command(def, &opts, &error);

    g_assert_no_error(error);
    return res;
}

static void test_minimal(void)
{
    g_autoptr(VmdDomainDef) def =
        make_def("min", "<memory unit='MiB'>512</memory>", "", "");
    g_autoptr(VmdBuildResult) res = build(def, NULL, 0, -1);
    const char *const want[] = {HEAD("min", "512M"), "-nic", "none", PORTS,
                                NULL};

    g_assert_cmpstrv(res->argv, want);
    g_assert_cmpstrv(res->monitor_commands, ((const char *const[]){NULL}));
}

static void test_boot_and_user(void)
{
    g_autoptr(VmdDomainDef) def = make_def(
        "a,b", "<memory unit='KiB'>1025</memory><vcpu>2</vcpu>",
        "<loader>/fw/fw_dynamic.bin</loader><kernel>/k/Image</kernel>"
        "<initrd>/k/initrd.gz</initrd>"
        "<cmdline>console=ttyS0 a,b=c</cmdline>",
        "<interface type='user'><mac address='52:54:00:00:00:01'/>"
        "<link state='down'/>"
        "<portForward proto='tcp' address='127.0.0.1'>"
        "<range start='2222' to='22'/>"
        "<range start='8000' end='8003' to='80'/>"
        "<range start='8001' exclude='yes'/></portForward>"
        "<portForward proto='udp' address='::1'>"
        "<range start='5353'/></portForward>"
        "<vmkit:slirp net='10.1.0.0/24' host='10.1.0.2' dns='10.1.0.3' "
        "dhcpstart='10.1.0.15' restrict='yes' ipv6='no' hostname='g' "
        "domainname='example.org' dnssearch='example.org' tftp='/srv/t,ftp' "
        "tftp-server-name='tftp.example.org' bootfile='pxe.bin' "
        "smb='/srv/smb'/>"
        "</interface>"
        "<serial type='pty'/>");
    g_autoptr(VmdBuildResult) res = build(def, NULL, 0, 7);
    const char *const want[] = {
        "vmkit",
        "-M",
        "virt",
        "-m",
        "2M",
        "-smp",
        "2",
        "-name",
        "a,,b",
        "-uuid",
        UUID,
        "-nographic",
        "-bios",
        "/fw/fw_dynamic.bin",
        "-kernel",
        "/k/Image",
        "-initrd",
        "/k/initrd.gz",
        "-append",
        "console=ttyS0 a,b=c",
        "-serial",
        "pty",
        PORTS,
        "-netdev",
        "user,id=net0,net=10.1.0.0/24,host=10.1.0.2,dhcpstart=10.1.0.15,"
        "dns=10.1.0.3,restrict=on,ipv6=off,hostname=g,"
        "domainname=example.org,dnssearch=example.org,tftp=/srv/t,,ftp,"
        "tftp-server-name=tftp.example.org,bootfile=pxe.bin,smb=/srv/smb,"
        "hostfwd=tcp:127.0.0.1:2222-:22,"
        "hostfwd=tcp:127.0.0.1:8000-:80,"
        "hostfwd=tcp:127.0.0.1:8002-:82,"
        "hostfwd=tcp:127.0.0.1:8003-:83,"
        "hostfwd=udp:[::1]:5353-:5353",
        "-device",
        "virtio-net-pci,netdev=net0,mac=52:54:00:00:00:01,addr=0x1",
        "-control",
        "7",
        NULL,
    };
    const char *const mon[] = {"set_link net0 off", NULL};

    g_assert_cmpstrv(res->argv, want);
    g_assert_cmpstrv(res->monitor_commands, mon);
}

static void test_sockets(void)
{
    g_autoptr(VmdDomainDef) def = make_def(
        "s", "<memory>65536</memory>", "",
        "<interface type='mcast'><mac address='52:54:00:00:00:01'/>"
        "<source address='230.0.0.1' port='5558'>"
        "<local address='192.168.1.1'/></source></interface>"
        "<interface type='server'><mac address='52:54:00:00:00:02'/>"
        "<source port='5559'/><model type='e1000'/></interface>"
        "<interface type='server'><mac address='52:54:00:00:00:03'/>"
        "<source address='127.0.0.1' port='5560'/>"
        "<address type='virtio-mmio'/></interface>"
        "<interface type='client'><mac address='52:54:00:00:00:04'/>"
        "<source address='::1' port='5561'/>"
        "<address type='pci' slot='0x10'/></interface>"
        "<interface type='udp'><mac address='52:54:00:00:00:05'/>"
        "<source address='127.0.0.1' port='11111'>"
        "<local address='127.0.0.1' port='22222'/></source></interface>");
    g_autoptr(VmdBuildResult) res = build(def, NULL, 0, -1);
    const char *const want[] = {
        HEAD("s", "64M"),
        PORTS,
        "-netdev",
        "socket,id=net0,mcast=230.0.0.1:5558,localaddr=192.168.1.1",
        "-device",
        "virtio-net-pci,netdev=net0,mac=52:54:00:00:00:01,addr=0x1",
        "-netdev",
        "socket,id=net1,listen=:5559",
        "-device",
        "e1000,netdev=net1,mac=52:54:00:00:00:02,addr=0x2",
        "-netdev",
        "socket,id=net2,listen=127.0.0.1:5560",
        "-device",
        "virtio-net-device,netdev=net2,mac=52:54:00:00:00:03",
        "-netdev",
        "socket,id=net3,connect=[::1]:5561",
        "-device",
        "virtio-net-pci,netdev=net3,mac=52:54:00:00:00:04,addr=0x10",
        "-netdev",
        "socket,id=net4,udp=127.0.0.1:11111,localaddr=127.0.0.1:22222",
        "-device",
        "virtio-net-pci,netdev=net4,mac=52:54:00:00:00:05,addr=0x3",
        NULL,
    };

    g_assert_cmpstrv(res->argv, want);
}

static const char taps[] =
    "<interface type='ethernet'><mac address='52:54:00:00:00:01'/>"
    "<target dev='tap7' managed='no'/></interface>"
    "<interface type='bridge'><mac address='52:54:00:00:00:02'/>"
    "<source bridge='br0'/></interface>"
    "<interface type='hub'><mac address='52:54:00:00:00:03'/>"
    "<source hub='lan'/></interface>"
    "<interface type='network'><mac address='52:54:00:00:00:04'/>"
    "<source network='default'/></interface>";

static void test_fds(void)
{
    g_autoptr(VmdDomainDef) def =
        make_def("t", "<memory>65536</memory>", "", taps);
    /* hub interfaces take no fd: the engine connects to vmd's socket */
    const int fds[] = {20, 21, -1, -1};
    g_autoptr(VmdBuildResult) res = build(def, fds, G_N_ELEMENTS(fds), 9);
    const char *const want[] = {
        HEAD("t", "64M"),
        PORTS,
        "-netdev",
        "tap,id=net0,fd=20",
        "-device",
        "virtio-net-pci,netdev=net0,mac=52:54:00:00:00:01,addr=0x1",
        "-netdev",
        "tap,id=net1,fd=21",
        "-device",
        "virtio-net-pci,netdev=net1,mac=52:54:00:00:00:02,addr=0x2",
        "-netdev",
        "stream,id=net2,server=off,addr.type=unix,"
        "addr.path=" HUB_BASE ".net2.hub,reconnect=1",
        "-device",
        "virtio-net-pci,netdev=net2,mac=52:54:00:00:00:03,addr=0x3",
        "-netdev",
        "stream,id=net3,server=off,addr.type=unix,"
        "addr.path=" HUB_BASE ".net3.hub,reconnect=1",
        "-device",
        "virtio-net-pci,netdev=net3,mac=52:54:00:00:00:04,addr=0x4",
        "-control",
        "9",
        NULL,
    };

    g_assert_cmpstrv(res->argv, want);
}

static void test_no_fds(void)
{
    g_autoptr(VmdDomainDef) def =
        make_def("t", "<memory>65536</memory>", "", taps);
    /* without fds, TAP and bridge fall back to the engine's own means */
    const int fds[] = {-1, -1, -1, -1};
    g_autoptr(VmdBuildResult) res = build(def, fds, G_N_ELEMENTS(fds), -1);
    g_autoptr(GError) error = NULL;
    VmdBuildResult *none;

    g_assert_cmpstr(res->argv[21], ==,
                    "tap,id=net0,ifname=tap7,script=no,downscript=no");
    g_assert_cmpstr(res->argv[25], ==, "bridge,id=net1,br=br0");

    /* a hub needs the daemon's socket */
    none = vmd_build_command(def, NULL, &error);
    g_assert_null(none);
    g_assert_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
    g_assert_nonnull(strstr(error->message, "'lan'"));
}

/* A hub interface: a stream client of vmd's socket, named after the
 * interface's alias (stable across live detaches and vmd restarts); the
 * same text at start and for a live attach (no fd). */
static void test_hub(void)
{
    g_autoptr(VmdDomainDef) def =
        make_def("h", "<memory>65536</memory>", "",
                 "<interface type='hub'><mac address='52:54:00:00:00:01'/>"
                 "<source hub='lan'/><alias name='net5'/>"
                 "<address type='pci' bus='1' slot='0'/></interface>");
    const VmdNetDef *net = g_ptr_array_index(def->nets, 0);
    g_autoptr(GString) nd = g_string_new(NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *path = vmd_build_hub_path("/run/a,b/" UUID, net, 0);

    g_assert_cmpstr(path, ==, "/run/a,b/" UUID ".net5.hub");
    g_assert_true(vmd_build_netdev(nd, net, 0, -1, "/run/a,b/" UUID, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(nd->str, ==,
                    "stream,id=net5,server=off,addr.type=unix,"
                    "addr.path=/run/a,,b/" UUID ".net5.hub,reconnect=1");
    g_string_truncate(nd, 0);
    g_assert_false(vmd_build_netdev(nd, net, 0, -1, NULL, &error));
    g_assert_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
}

static void test_serials(void)
{
    static const struct {
        const char *xml;
        const char *spec;
    } cases[] = {
        {"<serial type='unix'><source mode='bind' path='/run/s,1'/></serial>",
         "unix:/run/s,,1,server=on,wait=off"},
        {"<serial type='unix'><source mode='connect' path='/run/s'/></serial>",
         "unix:/run/s"},
        {"<console type='file'><source path='/var/log/c.log'/>"
         "<target type='serial' port='0'/></console>",
         "file:/var/log/c.log"},
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(VmdDomainDef) def =
            make_def("c", "<memory>65536</memory>", "", cases[i].xml);
        g_autoptr(VmdBuildResult) res = build(def, NULL, 0, -1);
        const char *const want[] = {HEAD("c", "64M"), "-serial", cases[i].spec,
                                    "-nic",           "none",    PORTS,
                                    NULL};

        g_assert_cmpstrv(res->argv, want);
    }
}

static void test_unsupported(void)
{
    g_autoptr(VmdDomainDef) def = make_def(
        "u", "<memory>65536</memory>", "",
        "<serial type='file'><source path='/tmp/x' append='on'/></serial>");
    g_autoptr(VmdDomainDef) def2 =
        make_def("u", "<memory>65536</memory>", "",
                 "<interface type='user'><portForward proto='tcp' dev='eth0'>"
                 "<range start='80'/></portForward></interface>");
    g_autoptr(GError) error = NULL;

    g_assert_null(vmd_build_command(def, NULL, &error));
    g_assert_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
    g_clear_error(&error);
    g_assert_null(vmd_build_command(def2, NULL, &error));
    g_assert_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED);
}

/* Live definitions: aliases are the engine ids; a NIC behind a hot-plug
 * port is named; live attach gets the same option text (fd passed). */
static void test_hotplug(void)
{
    g_autoptr(VmdDomainDef) def = make_def(
        "h", "<memory>65536</memory>", "",
        "<interface type='user'><mac address='52:54:00:00:00:01'/>"
        "<alias name='net0'/></interface>"
        "<interface type='ethernet'><mac address='52:54:00:00:00:02'/>"
        "<model type='e1000'/><alias name='net3'/>"
        "<address type='pci' bus='2' slot='0'/></interface>");
    const int fds[] = {-1, 20};
    g_autoptr(VmdBuildResult) res = build(def, fds, G_N_ELEMENTS(fds), -1);
    const char *const want[] = {
        HEAD("h", "64M"),
        PORTS,
        "-netdev",
        "user,id=net0",
        "-device",
        "virtio-net-pci,netdev=net0,mac=52:54:00:00:00:01,addr=0x1",
        "-netdev",
        "tap,id=net3,fd=20",
        "-device",
        "e1000,netdev=net3,mac=52:54:00:00:00:02,bus=pci.2,id=net3-nic",
        NULL,
    };
    g_autoptr(GString) nd = g_string_new(NULL);
    g_autoptr(GString) dev = g_string_new(NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(VmdDomainDef) bad = NULL;
    g_autofree char *id = NULL;

    g_assert_cmpstrv(res->argv, want);
    g_assert_true(vmd_build_netdev(nd, g_ptr_array_index(def->nets, 1), 1,
                                   VMD_BUILD_FD_PASSED, NULL, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(nd->str, ==, "tap,id=net3");
    vmd_build_nic(dev, g_ptr_array_index(def->nets, 1), 1);
    g_assert_cmpstr(dev->str, ==, want[G_N_ELEMENTS(want) - 2]);
    id = vmd_build_nic_id(g_ptr_array_index(def->nets, 1), 1);
    g_assert_cmpstr(id, ==, "net3-nic");

    /* the ports' slots are not for cold-plugged devices */
    bad = vmd_domain_def_new_from_xml(
        "<domain type='vmkit'><name>b</name>"
        "<memory>65536</memory><os><type>hvm</type></os><devices>"
        "<interface type='user'><address type='pci' slot='0x1c'/>"
        "</interface></devices></domain>",
        -1, NULL, &error);
    g_assert_null(bad);
    g_assert_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML);
    g_assert_nonnull(strstr(error->message,
                            "PCI slot 0x1c is taken by hot-plug port pci.1"));
}

/* The shipped example, as the daemon will start it. */
static void test_example(void)
{
    g_autofree char *path = g_build_filename(vmd_test_srcdir(), "examples",
                                             "debian-riscv64.xml", NULL);
    g_autofree char *xml = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(VmdDomainDef) def = NULL;
    g_autoptr(VmdBuildResult) res = NULL;
    g_autofree char *mac = NULL;
    g_autofree char *dev = NULL;

    g_file_get_contents(path, &xml, NULL, &error);
    g_assert_no_error(error);
    def = vmd_domain_def_new_from_xml(xml, -1, NULL, &error);
    g_assert_no_error(error);
    res = build(def, NULL, 0, 3);
    mac = g_malloc(18);
    vmd_domain_mac_format(((VmdNetDef *)g_ptr_array_index(def->nets, 0))->mac,
                          mac);
    dev = g_strdup_printf("virtio-net-pci,netdev=net0,mac=%s,addr=0x1", mac);
    {
        const char *const want[] = {
            "vmkit",
            "-M",
            "virt",
            "-m",
            "512M",
            "-smp",
            "2",
            "-name",
            "debian-riscv64",
            "-uuid",
            def->uuid,
            "-nographic",
            "-bios",
            "/var/cache/vmkit/images/fw_dynamic.bin",
            "-kernel",
            "/var/cache/vmkit/images/Image",
            "-initrd",
            "/var/cache/vmkit/images/initrd.gz",
            "-append",
            "console=ttyS0 vmkit.scenario=net vmkit.ping=10.0.2.2 "
            "vmkit.after=shell",
            "-serial",
            "pty",
            PORTS,
        "-netdev",
            "user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22",
            "-device",
            dev,
            "-control",
            "3",
            NULL,
        };

        g_assert_cmpstrv(res->argv, want);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vmd_test_use_source_schemas();

    g_test_add_func("/build/minimal", test_minimal);
    g_test_add_func("/build/boot-and-user", test_boot_and_user);
    g_test_add_func("/build/sockets", test_sockets);
    g_test_add_func("/build/fds", test_fds);
    g_test_add_func("/build/no-fds", test_no_fds);
    g_test_add_func("/build/serials", test_serials);
    g_test_add_func("/build/unsupported", test_unsupported);
    g_test_add_func("/build/example", test_example);
    g_test_add_func("/build/hotplug", test_hotplug);
    g_test_add_func("/build/hub", test_hub);
    return g_test_run();
}
