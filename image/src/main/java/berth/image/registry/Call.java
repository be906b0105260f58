package berth.image.registry;

import java.util.List;

/**
 * What one registry operation is, for authentication and error messages.
 *
 * @param what      the operation as the user reads it in an error, e.g. {@code pull 127.0.0.1:5000/x:y}
 * @param host      the API host the requests go to (credentials and tokens are kept per host)
 * @param scopes    the token scopes the operation needs, e.g. {@code repository:x:pull,push}
 * @param loginHost the host to suggest {@code berth login} for when refused, or null for no hint
 */
record Call(String what, String host, List<String> scopes, String loginHost) {

    Call {
        scopes = List.copyOf(scopes);
    }

    static String pullScope(String path) {
        return "repository:" + path + ":pull";
    }

    static String pushScope(String path) {
        return "repository:" + path + ":pull,push";
    }
}
