package berth.runtime.it;

import static berth.runtime.it.OciRuntime.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.runtime.seccomp.DockerSeccompProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Capabilities, no_new_privs, seccomp, rlimits, read-only root, masked and read-only paths. */
class SecurityTest extends ContainerTestBase {

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void defaultCapabilitiesAreAuditWriteKillNetBindService(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        // (CapAmb stays 0 with both runtimes: ambient needs the inheritable set, which the default spec omits.)
        String out = output(rt, bundle(rt).sh("grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status"));
        assertEquals(List.of("CapPrm:\t0000000020000420", "CapEff:\t0000000020000420", "CapBnd:\t0000000020000420"),
                out.lines().toList(), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void droppedCapabilitiesAreReallyMissing(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("touch /tmp/f; chown 1 /tmp/f; echo chown=$?; mknod /tmp/n c 1 3; echo mknod=$?");
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("chown=1") && r.stdout().contains("mknod=1"), r::toString);
        assertContains(r.stderr(), "Operation not permitted", r);
        assertEquals(0, Files.getAttribute(b.rootfs().resolve("tmp/f"), "unix:uid"));
        assertFalse(Files.exists(b.rootfs().resolve("tmp/n")), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void addedCapabilityWorks(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("touch /tmp/f && chown 1:2 /tmp/f && echo chown-ok; grep CapEff /proc/self/status");
        List<String> caps = b.capabilities();
        caps.add("CAP_CHOWN");
        b.capabilities(caps);
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("chown-ok\nCapEff:\t0000000020000421", r.out(), r::toString);
        assertEquals(1, Files.getAttribute(b.rootfs().resolve("tmp/f"), "unix:uid"));
        assertEquals(2, Files.getAttribute(b.rootfs().resolve("tmp/f"), "unix:gid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void noNewPrivilegesIsSetByDefault(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        assertEquals("NoNewPrivs:\t1", output(rt, bundle(rt).sh("grep NoNewPrivs /proc/self/status")).strip());
        Bundle off = bundle(rt).sh("grep NoNewPrivs /proc/self/status");
        off.process().put("noNewPrivileges", false);
        assertEquals("NoNewPrivs:\t0", output(rt, off).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void seccompErrnoRuleDeniesMkdir(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("grep Seccomp: /proc/self/status; mkdir /tmp/d; echo mkdir=$?; touch /tmp/ok && echo touch-ok");
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("names", new ArrayList<>(List.of("mkdir", "mkdirat")));
        rule.put("action", "SCMP_ACT_ERRNO");
        rule.put("errnoRet", 13);
        Map<String, Object> seccomp = new LinkedHashMap<>();
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.put("architectures", new ArrayList<>(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32")));
        seccomp.put("syscalls", new ArrayList<>(List.of(rule)));
        b.linux().put("seccomp", seccomp);
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("Seccomp:\t2\nmkdir=1\ntouch-ok", r.out(), r::toString);
        assertContains(r.stderr(), "Permission denied", r);
        assertFalse(Files.exists(b.rootfs().resolve("tmp/d")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void withoutSeccompUnprivilegedUserNamespacesWork(RuntimeKind kind) throws IOException {
        // The control for dockerDefaultSeccompProfile: the refusal there comes from the filter.
        OciRuntime rt = runtime(kind);
        Result r = run(rt, bundle(rt).sh("unshare -U true && echo unshare-ok"), newId());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("unshare-ok", r.out(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void dockerDefaultSeccompProfile(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("echo hello | tr a-z A-Z; ls / >/dev/null && echo ls-ok; "
                + "unshare -U true; echo unshare=$?; mount -t tmpfs none /mnt; echo mount=$?; grep Seccomp: /proc/self/status");
        b.linux().put("seccomp", DockerSeccompProfile.defaultOci(new LinkedHashSet<>(b.capabilities())));
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.stdout().lines().toList();
        assertEquals("HELLO", lines.get(0), r::toString);
        assertEquals("ls-ok", lines.get(1), r::toString);
        assertNotEquals("unshare=0", lines.get(2), r::toString);
        assertNotEquals("mount=0", lines.get(3), r::toString);
        assertEquals("Seccomp:\t2", lines.get(4), r::toString);
        assertContains(r.stderr(), "unshare(0x10000000): Operation not permitted", r);
        assertTrue(r.stderr().contains("permission denied") || r.stderr().contains("Operation not permitted"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void rlimitNofile(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        assertEquals("1024\n1024", output(rt, bundle(rt).sh("ulimit -Sn; ulimit -Hn")).strip());
        Bundle b = bundle(rt).sh("ulimit -Sn; ulimit -Hn");
        Map<String, Object> limit = new LinkedHashMap<>(Map.of("type", "RLIMIT_NOFILE", "hard", 512, "soft", 256));
        b.process().put("rlimits", new ArrayList<>(List.of(limit)));
        assertEquals("256\n512", output(rt, b).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void readOnlyRootfs(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).readonlyRoot(true).sh("touch /x; echo touch=$?; touch /dev/shm/y && echo shm-ok");
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("touch=1\nshm-ok", r.out(), r::toString);
        assertContains(r.stderr(), "Read-only file system", r);
        assertFalse(Files.exists(b.rootfs().resolve("x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void maskedPathsAreEmpty(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        // /proc/kcore is in the default list but absent on this kernel: masking must skip it quietly.
        String script = "wc -c < /proc/timer_list; wc -c < /proc/keys; ls -A /sys/firmware | wc -l; "
                + "ls -A /proc/acpi | wc -l; cat /proc/kcore 2>/dev/null | wc -c; "
                + "touch /sys/firmware/x; echo write=$?";
        Result r = run(rt, bundle(rt).sh(script), newId());
        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.stdout().lines().map(String::strip).toList();
        assertEquals(List.of("0", "0", "0", "0", "0"), lines.subList(0, 5), r::toString);
        assertNotEquals("write=0", lines.get(5), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void readonlyPathsRefuseWrites(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String script = "echo changed > /proc/sys/kernel/hostname; echo sys=$?; "
                + "echo 1 > /proc/sys/vm/drop_caches; echo vm=$?; hostname; "
                + "grep -E ' /proc/(sys|bus|fs|irq) ' /proc/self/mountinfo | awk '{print $5, substr($6,1,2)}' | sort";
        Bundle b = bundle(rt).hostname("ro-paths").sh(script);
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.stdout().lines().toList();
        assertEquals(List.of("sys=1", "vm=1", "ro-paths"), lines.subList(0, 3), r::toString);
        assertEquals(2, r.stderr().split("Read-only file system", -1).length - 1, r::toString);
        // (/proc/sysrq-trigger is absent on this kernel: skipped quietly, like runc.)
        assertEquals(List.of("/proc/bus ro", "/proc/fs ro", "/proc/irq ro", "/proc/sys ro"),
                lines.subList(3, lines.size()), r::toString);
    }
}
