package casastream.model.world;

/**
 * A colour and shape pair: the identity of an object in the world. At most one object of each type
 * is in a scene at a time, so "the red circle" always names one object. Types have a fixed order
 * (colour-major, in enum declaration order) that sets caption order and the index of
 * {@link WorldFrame#types()}.
 */
public record ObjectType(Colour colour, Shape shape) {

    /** How many types exist. */
    public static final int COUNT = Colour.values().length * Shape.values().length;

    private static final ObjectType[] ALL = new ObjectType[COUNT];

    static {
        for (Colour colour : Colour.values()) {
            for (Shape shape : Shape.values()) {
                ObjectType type = new ObjectType(colour, shape);
                ALL[type.index()] = type;
            }
        }
    }

    public ObjectType {
        if (colour == null || shape == null) {
            throw new IllegalArgumentException("an object type needs a colour and a shape, got " + colour + " " + shape);
        }
    }

    /** The position of this type in the fixed order, 0..COUNT-1. */
    public int index() {
        return colour.ordinal() * Shape.values().length + shape.ordinal();
    }

    /** The type at {@code index} in the fixed order. */
    public static ObjectType of(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("object type index " + index + " is outside 0.." + (COUNT - 1));
        }
        return ALL[index];
    }

    /** The noun phrase without article, e.g. {@code "red circle"}. */
    public String words() {
        return colour.word() + " " + shape.word();
    }

    @Override
    public String toString() {
        return words();
    }
}
