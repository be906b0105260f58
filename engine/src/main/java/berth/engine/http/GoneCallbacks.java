package berth.engine.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What an exchange's handler wants done when its client leaves: run once, on a virtual thread of their own,
 * if the client leaves while the exchange runs; at once in the registering thread if it left already; never
 * after the exchange finished.
 */
final class GoneCallbacks {
    private final String request;
    private final BooleanSupplier gone;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> pending = new ArrayList<>();
    private boolean finished;

    /** {@code request} names the request in logs; {@code gone} tells whether the client left already. */
    GoneCallbacks(String request, BooleanSupplier gone) {
        this.request = request;
        this.gone = gone;
    }

    void register(Runnable r) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            if (!gone.getAsBoolean()) {
                pending.add(r);
                return;
            }
        } finally {
            lock.unlock();
        }
        r.run();
    }

    /** The client left: runs what was registered (called after the gone flag was set). */
    void fire() {
        List<Runnable> callbacks;
        lock.lock();
        try {
            if (finished || pending.isEmpty()) {
                return;
            }
            callbacks = List.copyOf(pending);
            pending.clear();
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("berth-api client gone").start(() -> callbacks.forEach(r -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                Api.log(request + " (when the client left)", e);
            }
        }));
    }

    /** The exchange is over: nothing registered runs any more. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            pending.clear();
        } finally {
            lock.unlock();
        }
    }
}
