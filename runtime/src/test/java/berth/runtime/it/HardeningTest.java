package berth.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hardening: no descriptor leaks from the caller into the container, and mount destinations that are
 * symlinks pointing out of the rootfs stay inside it. runc 1.1.5 behaves the same way here, so these run
 * against both runtimes too.
 */
class HardeningTest extends ContainerTestBase {

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void noHostDescriptorLeaksIntoTheContainer(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Bundle b = bundle(rt).args("ls", "/proc/self/fd");
        String id = newId();
        b.save();
        // The caller holds extra descriptors (7 and 8, not close-on-exec): none may reach the container.
        Result r = rt.execVia("exec 7</etc/hostname 8>>" + work.resolve("leak-probe"), OciRuntime.DEFAULT_TIMEOUT,
                "run", "--preserve-fds", "0", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.exitCode(), r::toString);
        // 0-2 plus the directory ls itself opened to list /proc/self/fd
        assertEquals(List.of("0", "1", "2", "3"), r.stdout().lines().map(String::strip).toList(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void preserveFdsPassesExactlyTheRequestedDescriptors(RuntimeKind kind) throws IOException {
        OciRuntime rt = runtime(kind);
        Path passed = work.resolve("passed.txt");
        Files.writeString(passed, "preserved-content\n");
        Bundle b = bundle(rt).sh("cat <&3; ls /proc/self/fd | tr '\\n' ' '");
        String id = newId();
        b.save();
        Result r = rt.execVia("exec 3<" + passed + " 4</etc/hostname", OciRuntime.DEFAULT_TIMEOUT,
                "run", "--preserve-fds", "1", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.exitCode(), r::toString);
        // ls inherits 0-3 and opens 4 for the listing: fd 4 of the caller did not come through.
        assertEquals("preserved-content\n0 1 2 3 4", r.stdout().strip(), r::toString);
    }

    // The same with the symlink's target already present inside the rootfs: only resolution matters here.

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void tmpfsBelowAbsoluteSymlinkWhoseTargetExistsInRootfs(RuntimeKind kind) throws IOException {
        assertSymlinkStaysInside(kind, false, "/sub", false, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void tmpfsBelowRelativeSymlinkWhoseTargetExistsInRootfs(RuntimeKind kind) throws IOException {
        assertSymlinkStaysInside(kind, true, "/sub", false, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void bindMountOnSymlinkWhoseTargetExistsInRootfs(RuntimeKind kind) throws IOException {
        assertSymlinkStaysInside(kind, false, "", true, true);
    }

    /**
     * A symlink in the rootfs pointing at a host directory, with a mount whose destination goes through it.
     * Safety (both runtimes): nothing is created in, or mounted on, the host directory. Compatibility (runc):
     * the symlink is resolved inside the rootfs as if chrooted, so the run succeeds and the mount sits at
     * {@code <rootfs>/<host dir path>/...}.
     */
    private void assertSymlinkStaysInside(RuntimeKind kind, boolean relative, String viaLink, boolean bind,
                                          boolean targetExistsInRootfs) throws IOException {
        OciRuntime rt = runtime(kind);
        Path outside = hostDir("outside");
        Files.writeString(outside.resolve("host-file"), "host\n");
        Path source = hostDir("bind-source");
        Files.writeString(source.resolve("bound-marker"), "bound\n");
        Bundle b = bundle(rt);
        Path target = relative ? Path.of("../../../../../../../../.." + outside) : outside;
        Files.createSymbolicLink(b.rootfs().resolve("link"), target);
        if (targetExistsInRootfs) Files.createDirectories(b.rootfs().resolve(outside.toString().substring(1)));
        String destination = "/link" + viaLink;
        if (bind) {
            b.bind(source, destination);
        } else {
            b.mount(destination, "tmpfs", "tmpfs", "size=1m");
        }
        String inside = outside + viaLink;
        b.sh("awk '$5 == \"" + inside + "\" {print $9}' /proc/self/mountinfo; ls " + destination);
        Result r = run(rt, b, newId());

        try (var s = Files.list(outside)) {
            assertEquals(List.of(outside.resolve("host-file")), s.toList(), () -> "the host directory behind the symlink was touched:\n" + r);
        }
        assertEquals(List.of(), mountsUnder(work), () -> "mounts on the host under " + work + ":\n" + r);

        assertEquals(0, r.exitCode(), () -> "runc resolves the symlink inside the rootfs and runs:\n" + r);
        assertEquals((bind ? "ext4" : "tmpfs") + (bind ? "\nbound-marker" : ""), normalize(r.stdout().strip()), r::toString);
        assertTrue(Files.isDirectory(b.rootfs().resolve(inside.substring(1))), "the mount point was created inside the rootfs");
    }

    /** The bind mount's filesystem type is whatever /tmp is on this host: call it ext4 for the comparison. */
    private static String normalize(String out) {
        String first = out.lines().findFirst().orElse("");
        return first.equals("tmpfs") ? out : out.replaceFirst("^[^\n]+", "ext4");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void tmpfsBelowAbsoluteSymlinkToHost(RuntimeKind kind) throws IOException {
        assertSymlinkStaysInside(kind, false, "/sub", false, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void tmpfsBelowRelativeSymlinkToHost(RuntimeKind kind) throws IOException {
        assertSymlinkStaysInside(kind, true, "/sub", false, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void tmpfsOnAbsoluteSymlinkToHost(RuntimeKind kind) throws IOException {
        assertSymlinkStaysInside(kind, false, "", false, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void bindMountOnAbsoluteSymlinkToHost(RuntimeKind kind) throws IOException {
        assertSymlinkStaysInside(kind, false, "", true, false);
    }
}
