package berth.image.snapshot;

import berth.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mount(2) calls a {@link Mount} description turns into, against a recording fake. */
class MounterTest {
    private static final long MS_RDONLY = 1, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384;

    @Test
    void aReadOnlyBindIsARecursiveBindThenARemountWithNoFileSystemType() {
        RecordingSyscalls sys = new RecordingSyscalls();
        new Mounter(sys).mount(Mount.bind("/layers/a/fs", true), Path.of("/mnt/view"));
        assertEquals(List.of(
                new RecordingSyscalls.Call("mount", List.of("/layers/a/fs", "/mnt/view", "", MS_BIND | MS_REC, "")),
                new RecordingSyscalls.Call("mount", List.of("/layers/a/fs", "/mnt/view", "", MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, ""))),
                sys.calls());
    }
}
