package casastream.model.world;

/** A yes/no question in canonical text (see {@code WorldText}) with its true answer for one frame. */
public record YesNo(String question, boolean answer) {
    public YesNo {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("a yes/no question needs text");
        }
    }
}
