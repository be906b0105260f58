package berth.engine.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/** Whether a request asks to take the connection over for raw bytes ({@code Connection: Upgrade}, {@code Upgrade: tcp}). */
final class Upgrades {
    private Upgrades() {
    }

    static boolean requested(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, "tcp", true);
    }
}
