package berth.engine.api;

import berth.engine.EngineException;
import berth.engine.archive.ArchiveException;
import berth.engine.http.ApiException;
import berth.engine.http.ErrorMapper;
import berth.engine.volumes.VolumeException;
import berth.image.ImageException;
import berth.network.NetworkException;
import berth.runtime.LaunchException;

/**
 * The one place where the engine's failures become HTTP statuses: not found 404, conflict 409, bad request
 * 400 (for every layer's Invalid and for arguments the parsers refused), the rest 500.
 */
public final class ErrorMapping implements ErrorMapper {
    @Override
    public ApiException map(Throwable t) {
        int status = switch (t) {
            case EngineException.NotFound e -> 404;
            case EngineException.Conflict e -> 409;
            case EngineException.Invalid e -> 400;
            case EngineException.Unauthorized e -> 401;
            case EngineException.Forbidden e -> 403;
            case ArchiveException.NotFound e -> 404;
            case ArchiveException.Invalid e -> 400;
            case VolumeException.NotFound e -> 404;
            case VolumeException.Conflict e -> 409;
            case VolumeException.Invalid e -> 400;
            case ImageException.NotFound e -> 404;
            case ImageException.Conflict e -> 409;
            case NetworkException.NotFound e -> 404;
            case NetworkException.Conflict e -> 409;
            case NetworkException.Invalid e -> 400;
            case LaunchException e -> 400;
            case IllegalArgumentException e -> 400;
            default -> 500;
        };
        String message = t.getMessage();
        return new ApiException(status, message == null ? t.toString() : message, t);
    }
}
