package berth.engine.spec;

import berth.image.ImageConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static berth.engine.spec.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageDefaultsTest {
    private static final ImageConfig.RunConfig NGINX = new ImageConfig.RunConfig("", Map.of("80/tcp", Map.of()),
            List.of("PATH=/usr/local/sbin:/usr/bin", "NGINX_VERSION=1.27"), List.of("/docker-entrypoint.sh"),
            List.of("nginx", "-g", "daemon off;"), Map.of("/var/cache/nginx", Map.of()), "/srv",
            Map.of("maintainer", "nginx"), "SIGQUIT", null, null, null, null);

    private static ObjectNode merged(String body) {
        return ImageDefaults.merge(request(body).config(), NGINX);
    }

    @Test
    void theImageFillsWhatTheRequestLeavesOut() {
        ObjectNode c = merged("{'Image':'nginx','Env':['NGINX_VERSION=2','A=b'],'Labels':{'maintainer':'me'},"
                + "'ExposedPorts':{'443/tcp':{}}}");
        assertEquals(List.of("/docker-entrypoint.sh", "nginx", "-g", "daemon off;"), ImageDefaults.command(c));
        assertEquals(List.of("NGINX_VERSION=2", "A=b", "PATH=/usr/local/sbin:/usr/bin"), Nodes.strings(c, "Env"));
        assertEquals(Map.of("maintainer", "me"), Nodes.stringMap(c, "Labels"));
        assertEquals(List.of("443/tcp", "80/tcp"), List.copyOf(Nodes.keys(c, "ExposedPorts")));
        assertEquals("/srv", Nodes.text(c, "WorkingDir"));
        assertEquals("SIGQUIT", Nodes.text(c, "StopSignal"));
        assertEquals(List.of("/var/cache/nginx"), List.copyOf(Nodes.keys(c, "Volumes")));
    }

    @Test
    void entrypointAndCmdOverrides() {
        assertEquals(List.of("/docker-entrypoint.sh", "sh"), ImageDefaults.command(merged("{'Image':'n','Cmd':['sh']}")));
        assertEquals(List.of("/bin/echo"), ImageDefaults.command(merged("{'Image':'n','Entrypoint':['/bin/echo']}")),
                "--entrypoint resets the image's Cmd");
        assertEquals(List.of("ls", "/"), ImageDefaults.command(merged("{'Image':'n','Entrypoint':[''],'Cmd':['ls','/']}")),
                "--entrypoint '' removes the image's entrypoint");
        assertEquals(List.of("nginx", "-g", "daemon off;"), ImageDefaults.command(merged("{'Image':'n','Entrypoint':[]}")),
                "an empty entrypoint drops the image's but keeps its Cmd, as Go's non-nil empty slice does");
        assertEquals("no command specified", assertThrows(IllegalArgumentException.class,
                () -> merged("{'Image':'n','Entrypoint':['']}")).getMessage());
        assertEquals("no command specified", assertThrows(IllegalArgumentException.class,
                () -> ImageDefaults.merge(request("{'Image':'scratch'}").config(), null)).getMessage());
    }

    @Test
    void environmentLikeDockerd() {
        assertEquals(List.of("PATH=" + OciDefaults.PATH, "HOSTNAME=web", "TERM=xterm", "LINK_PORT=tcp://x", "HOME=/root"),
                Environment.of(List.of(), "web", true, List.of("LINK_PORT=tcp://x"), "/root"));
        assertEquals(List.of("PATH=/bin", "HOSTNAME=h", "HOME=/data", "X=1"),
                Environment.of(List.of("PATH=/bin", "HOME=/data", "X=1", "TERM"), "h", true, List.of(), "/root"),
                "a name without '=' removes a default, and HOME set by the container stays");
    }
}
