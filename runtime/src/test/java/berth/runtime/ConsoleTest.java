package berth.runtime;

import berth.sys.RecordingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console a foreground run keeps for a terminal, against the recording fake. */
class ConsoleTest {
    @TempDir
    Path dir;

    @Test
    void receivesThePtyMasterOnItsOwnSocketAndLetsGoOfEverything() {
        RecordingSyscalls sys = new RecordingSyscalls();
        Console console = new Console(sys, dir);
        assertTrue(console.path().startsWith(dir + "/.console-") && console.path().endsWith(".sock"), console.path());
        console.attach();   // our stdin is no terminal here: no raw mode
        console.drain();
        console.close();
        List<String> calls = sys.calls().stream().map(Object::toString).toList();
        // listener 100, connection 101, master 102 (the fake numbers descriptors from 100)
        assertEquals("listenUnix [" + console.path() + "]", calls.getFirst());
        int accept = calls.indexOf("accept [100]"), receive = calls.indexOf("receiveFd [101]");
        assertTrue(accept >= 0 && receive == accept + 1, calls.toString());
        assertTrue(calls.contains("close [101]") && calls.contains("close [100]") && calls.contains("close [102]"), calls.toString());
        assertFalse(calls.contains("makeRaw [0]"), calls.toString());
    }
}
