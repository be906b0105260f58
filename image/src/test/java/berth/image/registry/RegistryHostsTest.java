package berth.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryHostsTest {
    private final RegistryHosts secure = RegistryHosts.secure();

    @Test
    void loopbackHostsArePlainHttp() {
        for (String h : new String[] {"127.0.0.1:5000", "127.0.0.1", "127.12.0.9:80", "localhost:5000", "LOCALHOST", "[::1]:5000", "::1"}) {
            assertEquals("http", secure.scheme(h), h);
        }
        assertEquals(URI.create("http://127.0.0.1:5000/v2/"), secure.api("127.0.0.1:5000"));
    }

    @Test
    void everythingElseIsHttps() {
        for (String h : new String[] {"registry-1.docker.io", "10.0.0.5:5000", "128.0.0.1", "127.0.0.1.nip.io", "localhost.example.com",
                "[fe80::1]:5000", "ghcr.io"}) {
            assertEquals("https", secure.scheme(h), h);
        }
        assertEquals(URI.create("https://ghcr.io/v2/"), secure.api("ghcr.io"));
    }

    @Test
    void insecureHostsArePlainHttpByNameOrByHostAndPort() {
        RegistryHosts hosts = new RegistryHosts(Set.of("10.0.0.5:5000", "registry.lan"));
        assertEquals("http", hosts.scheme("10.0.0.5:5000"));
        assertEquals("https", hosts.scheme("10.0.0.5:5001"));
        assertEquals("http", hosts.scheme("registry.lan:443"));
        assertEquals("https", hosts.scheme("other.lan"));
    }
}
