package berth.engine.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shared helpers: JSON in single quotes, a host with two CPUs and fake devices, and parsing shortcuts. */
final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true);

    /** Fake device nodes: /dev/null, /dev/zero, and /dev/snd holding two nodes. */
    static final HostDevices DEVICES = new HostDevices() {
        private final Map<String, List<HostDevice>> nodes = Map.of(
                "/dev/null", List.of(new HostDevice("c", "", 1, 3, 0666, 0, 0)),
                "/dev/fuse", List.of(new HostDevice("c", "", 10, 229, 0666, 0, 0)),
                "/dev/sda", List.of(new HostDevice("b", "", 8, 0, 0660, 0, 6)),
                "/dev/snd", List.of(new HostDevice("c", "seq", 116, 1, 0660, 0, 29),
                        new HostDevice("c", "timer", 116, 33, 0660, 0, 29)));

        @Override
        public List<HostDevice> at(String pathOnHost) throws IOException {
            if (pathOnHost.equals("/etc/hostname")) return List.of();
            List<HostDevice> found = nodes.get(pathOnHost);
            if (found == null) throw new NoSuchFileException(pathOnHost);
            return found;
        }

        @Override
        public List<HostDevice> all() {
            return List.of(new HostDevice("c", "/dev/null", 1, 3, 0666, 0, 0),
                    new HostDevice("c", "/dev/kmsg", 1, 11, 0644, 0, 0),
                    new HostDevice("b", "/dev/sda", 8, 0, 0660, 0, 6));
        }
    };

    static final HostInfo HOST = new HostInfo(2, false, 40, Path.of("/usr/bin/tini-static"), DEVICES);

    private Fixtures() {}

    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CreateRequest request(String singleQuoted) {
        return CreateRequest.parse(json(singleQuoted), HOST);
    }

    /** The message of the IllegalArgumentException that parsing the body throws. */
    static String rejected(String singleQuoted) {
        return assertThrows(IllegalArgumentException.class, () -> request(singleQuoted)).getMessage();
    }
}
