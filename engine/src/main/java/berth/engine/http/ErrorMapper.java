package berth.engine.http;

/**
 * Turns an exception that a handler threw into the status and message the client gets (the engine supplies it:
 * "no such container" becomes 404, a name conflict 409, ...). {@link ApiException}s never reach it. A mapping to
 * 500 also logs the exception with its stack trace.
 */
@FunctionalInterface
public interface ErrorMapper {
    ApiException map(Throwable t);
}
