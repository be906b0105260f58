package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.Query;
import sun.misc.Signal;

/**
 * {@code --sig-proxy} (the default for an attached container without a TTY): SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1 and SIGUSR2 received by berth are sent on to the container with {@code POST /kill}.
 */
final class SignalProxy {
    private static final String[] SIGNALS = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2"};

    private SignalProxy() {}

    static void forward(ApiClient api, String container) {
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), s -> {
                    try {
                        api.post("/containers/" + container + "/kill", Query.of().add("signal", s.getName()), null);
                    } catch (Exception e) {
                        System.err.println("berth: could not forward SIG" + s.getName() + " to the container: " + Main.message(e));
                    }
                });
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal for itself (SIGQUIT with some options): it is not forwarded
            }
        }
    }
}
