package casastream.model;

/** A checkpoint or serialized memory that this code cannot read: wrong version, model, shape or content. */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
