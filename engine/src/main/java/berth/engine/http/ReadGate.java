package berth.engine.http;

import io.netty.channel.ChannelConfig;

/**
 * Turns a connection's reading off while anyone holds it: a request body whose queue is full, a decoder that
 * waits to see whether a connection is upgraded. Used on the channel's event loop only.
 */
final class ReadGate {
    private final ChannelConfig config;
    private int holds;

    ReadGate(ChannelConfig config) {
        this.config = config;
    }

    void hold() {
        if (holds++ == 0) {
            config.setAutoRead(false);
        }
    }

    void release() {
        if (holds > 0 && --holds == 0) {
            config.setAutoRead(true);
        }
    }
}
