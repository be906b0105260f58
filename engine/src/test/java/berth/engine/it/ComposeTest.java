package berth.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import berth.engine.it.support.Command;
import berth.engine.it.support.TestDaemon;

/**
 * docker-compose 1.29 (Debian's, on docker-py) against a berth daemon: a web service (busybox httpd) and a client
 * service that fetches from it by service name over a user-defined network; the web service serves from a
 * named volume and has an anonymous one. The client's output is in its logs, and {@code down -v} removes the
 * containers, the network and both volumes.
 */
@Timeout(300)
class ComposeTest {
    private static final Duration COMPOSE_TIMEOUT = Duration.ofSeconds(180);
    private static final String COMPOSE_FILE = """
            version: "2.4"
            services:
              web:
                image: busybox:latest
                command: ["sh", "-c", "echo 'hello from web' > /www/index.html && exec httpd -f -p 80 -h /www"]
                volumes: ["site:/www", "/cache"]
                networks: [backend]
              client:
                image: busybox:latest
                depends_on: [web]
                networks: [backend]
                command:
                  - sh
                  - -c
                  - |
                    for i in $$(seq 1 100); do
                      if reply=$$(printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 3 web 80) && [ -n "$$reply" ]; then
                        echo "fetched: $$(echo "$$reply" | tail -n 1)"
                        exit 0
                      fi
                      sleep 0.2
                    done
                    echo "web never answered" >&2
                    exit 1
            networks:
              backend: {}
            volumes:
              site: {}
            """;

    @RegisterExtension
    static final TestDaemon berth = new TestDaemon();

    @TempDir
    Path dir;

    @BeforeAll
    static void busybox() throws Exception {
        berth.importBusybox("busybox:latest");
    }

    @Test
    void upRunsTwoServicesThatTalkByNameAndDownRemovesThem() throws Exception {
        String project = "berthit" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path file = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE_FILE);
        boolean down = false;
        try {
            compose(project, file, "up", "-d").ok();
            String client = project + "_client_1";
            assertEquals("0", berth.docker("wait", client).ok().out().strip(), "the client's exit code; its logs: "
                    + berth.docker("logs", client).out());
            String logs = compose(project, file, "logs", "--no-color", "client").ok().out();
            assertTrue(logs.contains("fetched: hello from web"), logs);
            assertEquals("true", berth.docker("inspect", "-f", "{{.State.Running}}", project + "_web_1").ok().out().strip());
            assertTrue(networks().contains(project + "_backend"), networks().toString());
            assertEquals(2, volumes().size(), "the named and the anonymous volume: " + volumes());
            assertTrue(volumes().contains(project + "_site"), volumes().toString());

            compose(project, file, "down", "-v").ok();
            down = true;
            assertEquals("", berth.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project).ok().out().strip(),
                    "down removed the containers");
            assertFalse(networks().contains(project + "_backend"), "down removed the network: " + networks());
            assertEquals(List.of(), volumes(), "down -v removed the volumes");
        } finally {
            if (!down) compose(project, file, "down", "-v", "--timeout", "1");
        }
    }

    private Command.Result compose(String project, Path file, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--ansi", "never", "-p", project, "-f", file.toString()));
        command.addAll(List.of(args));
        return Command.run(command, berth.clientEnv(), COMPOSE_TIMEOUT);
    }

    private static List<String> volumes() throws Exception {
        return berth.docker("volume", "ls", "-q").ok().out().lines().toList();
    }

    private static List<String> networks() throws Exception {
        return berth.docker("network", "ls", "--format", "{{.Name}}").ok().out().lines().toList();
    }
}
