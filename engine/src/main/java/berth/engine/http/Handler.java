package berth.engine.http;

/**
 * One endpoint of the API: plain blocking code that answers an {@link Exchange}. It runs on a virtual thread of
 * its own; an exception it throws before it started a response becomes an error response through the {@link
 * ErrorMapper} (an {@link ApiException} directly).
 */
@FunctionalInterface
public interface Handler {
    void handle(Exchange ex) throws Exception;
}
