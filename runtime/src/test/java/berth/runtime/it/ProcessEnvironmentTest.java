package berth.runtime.it;

import static berth.runtime.it.OciRuntime.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The container's process environment: PID namespace, hostname, user namespace, mounts and devices. */
class ProcessEnvironmentTest extends ContainerTestBase {

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void processIsPid1(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        // (not "echo $$": a 7-byte argument trips a separate bug, see argumentOfSevenBytesIsPassedThrough)
        assertEquals("pid=1", output(rt, bundle(rt).sh("echo pid=$$")).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void argumentsOfEveryLengthArePassedThrough(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        // berth's executor took the first 8-byte field (a 7-character argument plus its NUL) for the
        // environment count: "exec echo: EINVAL".
        for (String arg : List.of("abcdefg", "echo $$")) {
            Bundle b = bundle(rt).args("echo", arg);
            assertEquals(arg, output(rt, b).strip(), "args [echo, " + arg + "]");
        }
        assertEquals("1", output(rt, bundle(rt).sh("echo $$")).strip(), "args [sh, -c, echo $$]");
        assertEquals("busybox", output(rt, bundle(rt).args("busybox", "echo", "busybox")).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void hostnameComesFromConfig(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).hostname("it-host-42").sh("hostname; cat /proc/sys/kernel/hostname");
        assertEquals("it-host-42\nit-host-42", output(rt, b).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void exitStatusOfForegroundRunIsTheContainers(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String id = newId();
        Result r = run(rt, bundle(rt).sh("echo out; echo err >&2; exit 42"), id);
        assertEquals(42, r.exitCode(), r::toString);
        assertEquals("out", r.out());
        assertContains(r.stderr(), "err", r);
        // run deletes the container once it has exited
        assertEquals(List.of(), rt.stateEntries().stream().filter(id::equals).toList(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void environmentAndCwdAndUserFromConfig(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("echo $GREETING; pwd; id -u; id -g");
        @SuppressWarnings("unchecked")
        List<Object> env = (List<Object>) b.process().get("env");
        env.add("GREETING=hello world");
        b.process().put("cwd", "/tmp");
        b.process().put("user", new LinkedHashMap<>(Map.of("uid", 1000, "gid", 1000)));
        assertEquals("hello world\n/tmp\n1000\n1000", output(rt, b).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void userNamespaceMapsRootTo100000(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; touch /tmp/owned && stat -c %u:%g /tmp/owned");
        b.namespace("user");
        Map<String, Object> mapping = new LinkedHashMap<>(Map.of("containerID", 0, "hostID", 100000, "size", 65536));
        b.linux().put("uidMappings", new ArrayList<>(List.of(mapping)));
        b.linux().put("gidMappings", new ArrayList<>(List.of(new LinkedHashMap<>(mapping))));
        chownTree(b.rootfs(), 100000, 100000);
        String out = output(rt, b);
        List<String> lines = out.lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("0 100000 65536", "0 100000 65536", "0", "0", "0:0"), lines, out);
        // On the host the file belongs to the mapped id.
        assertEquals(100000, Files.getAttribute(b.rootfs().resolve("tmp/owned"), "unix:uid"));
    }

    /** The same without the default spec's cgroup mount, to tell id mapping apart from mounting in a userns. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void userNamespaceWithoutCgroupMount(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("cat /proc/self/uid_map; id -u; readlink /proc/self/ns/user");
        b.namespace("user");
        Map<String, Object> mapping = new LinkedHashMap<>(Map.of("containerID", 0, "hostID", 100000, "size", 65536));
        b.linux().put("uidMappings", new ArrayList<>(List.of(mapping)));
        b.linux().put("gidMappings", new ArrayList<>(List.of(new LinkedHashMap<>(mapping))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) b.config().get("mounts");
        mounts.removeIf(m -> "cgroup".equals(m.get("type")));
        chownTree(b.rootfs(), 100000, 100000);
        List<String> lines = output(rt, b).lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("0 100000 65536", "0"), lines.subList(0, 2), lines::toString);
        assertTrue(!lines.get(2).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString()), "a new user namespace");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void noPivotRunsTheContainerToo(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("echo pid=$$; ls /bin/busybox");
        Result r = run(rt, b, newId(), "--no-pivot");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("pid=1\n/bin/busybox", r.out(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void defaultMountsArePresent(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String out = output(rt, bundle(rt).args("cat", "/proc/self/mountinfo"));
        Map<String, String> fsTypeByMountPoint = new LinkedHashMap<>();
        Map<String, String> optionsByMountPoint = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            fsTypeByMountPoint.put(f[4], f[dash + 1]);
            optionsByMountPoint.put(f[4], f[5]);
        }
        Map<String, String> expected = Map.of("/proc", "proc", "/dev", "tmpfs", "/dev/pts", "devpts",
                "/dev/shm", "tmpfs", "/dev/mqueue", "mqueue", "/sys", "sysfs");
        expected.forEach((mp, type) -> assertEquals(type, fsTypeByMountPoint.get(mp), () -> mp + " in\n" + out));
        assertTrue(optionsByMountPoint.get("/sys").startsWith("ro"), () -> "/sys must be read-only:\n" + out);
        assertTrue(optionsByMountPoint.get("/dev/shm").contains("nodev"), () -> "/dev/shm options:\n" + out);
        assertTrue(fsTypeByMountPoint.containsKey("/"), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void defaultDevicesExist(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String script = "for d in null zero full random urandom tty; do stat -c '%n %F %t,%T %a' /dev/$d; done; "
                + "for l in ptmx fd stdin stdout stderr; do readlink /dev/$l; done; "
                + "head -c 4 /dev/zero | od -An -tx1; head -c 16 /dev/urandom | wc -c; "
                + "echo discarded > /dev/null && echo null-ok";
        String out = output(rt, bundle(rt).sh(script));
        List<String> expected = List.of(
                "/dev/null character special file 1,3 666",
                "/dev/zero character special file 1,5 666",
                "/dev/full character special file 1,7 666",
                "/dev/random character special file 1,8 666",
                "/dev/urandom character special file 1,9 666",
                "/dev/tty character special file 5,0 666",
                "pts/ptmx", "/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2",
                "00 00 00 00", "16", "null-ok");
        assertEquals(expected, out.lines().map(String::strip).toList(), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void unprivilegedUserCanUseDefaultDevices(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).sh("echo x > /dev/null && head -c 1 /dev/zero | wc -c && echo ok");
        b.process().put("user", new LinkedHashMap<>(Map.of("uid", 1000, "gid", 1000)));
        Result r = run(rt, b, newId());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("1\nok", r.out(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void namespacesDifferFromHost(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        String out = output(rt, bundle(rt).sh("for n in pid mnt net ipc uts; do readlink /proc/self/ns/$n; done"));
        List<String> inside = out.lines().toList();
        assertEquals(5, inside.size(), out);
        for (String link : inside) {
            String type = link.substring(0, link.indexOf(':'));
            String host = Files.readSymbolicLink(Path.of("/proc/self/ns/" + type)).toString();
            assertTrue(!host.equals(link), () -> type + " namespace is the host's: " + link);
        }
        // Only loopback in the new network namespace.
        String ifaces = output(rt, bundle(rt).sh("ls /sys/class/net"));
        assertEquals("lo", ifaces.strip());
    }

    static void chownTree(Path root, int uid, int gid) throws IOException {
        // Numeric ids without passwd entries: go through chown(1) -h -R, which is simplest and handles symlinks.
        Process p = new ProcessBuilder("chown", "-h", "-R", uid + ":" + gid, root.toString()).inheritIO().start();
        try {
            assertEquals(0, p.waitFor(), "chown -R failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertEquals(uid, Files.getAttribute(root.resolve("bin/busybox"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }
}
