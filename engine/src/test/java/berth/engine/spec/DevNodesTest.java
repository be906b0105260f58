package berth.engine.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads this machine's own /dev, which every Linux host has. */
class DevNodesTest {
    private final DevNodes dev = new DevNodes(Path.of("/dev"));

    @Test
    void devNullIsCharacterDeviceOneThree() throws IOException {
        HostDevice nul = dev.at("/dev/null").getFirst();
        assertEquals(new HostDevice("c", "", 1, 3, 0666, 0, 0), nul);
    }

    @Test
    void aDirectoryHoldsTheNodesBelowIt(@TempDir Path dir) throws IOException {
        Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"));
        assertEquals(List.of(new HostDevice("c", "", 1, 3, 0666, 0, 0)), dev.at(dir.resolve("null").toString()),
                "a symlink to a node is followed");
        Files.writeString(dir.resolve("file"), "not a device");
        assertEquals(List.of(), dev.at(dir.resolve("file").toString()));
        assertEquals(List.of(), dev.at(dir.toString()), "the walk does not follow links");
        assertThrows(NoSuchFileException.class, () -> dev.at(dir.resolve("missing").toString()));
    }

    @Test
    void allListsHostDevicesWithTheirPaths() throws IOException {
        List<HostDevice> all = dev.all();
        assertTrue(all.contains(new HostDevice("c", "/dev/null", 1, 3, 0666, 0, 0)), all.toString());
        assertTrue(all.stream().noneMatch(d -> d.path().startsWith("/dev/pts/") || d.path().equals("/dev/console")));
    }
}
