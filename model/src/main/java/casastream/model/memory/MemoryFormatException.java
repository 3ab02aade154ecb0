package casastream.model.memory;

import casastream.model.ModelFormatException;

/** Stream memory bytes that were not written by this format version and this model. */
public final class MemoryFormatException extends ModelFormatException {

    public MemoryFormatException(String message) {
        super(message);
    }
}
