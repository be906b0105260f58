package berth.image.registry;

import berth.image.ImageException;

/** The registry refused the credentials berth had (or the lack of them): 401 or 403 after authenticating. */
public final class UnauthorizedException extends ImageException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
