package berth.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registry user name and password (or token used as password). */
public record Credentials(String username, String password) {

    public Credentials {
        if (username == null || password == null) throw new IllegalArgumentException("credentials need a user name and a password");
    }

    /** The value of an {@code Authorization: Basic} header. */
    String basicHeader() {
        return "Basic " + encoded();
    }

    /** base64("user:pass"), as config.json's {@code auth} field holds it. */
    String encoded() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Hides the password. */
    @Override
    public String toString() {
        return "Credentials[" + username + "]";
    }
}
