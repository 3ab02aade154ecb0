package casastream.model.world;

import casastream.model.text.WorldText;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks a frame's yes/no questions: as many yes as no (so answering always "yes" scores one half),
 * drawn from questions about a type, a colour, a shape, movement and emptiness. An empty scene has
 * only one true question ("is the scene empty ?"), so it gets one of each.
 */
final class QuestionSampler {

    private final int perFrame;
    private final SplittableRandom random;

    QuestionSampler(int perFrame, SplittableRandom random) {
        this.perFrame = perFrame;
        this.random = random;
    }

    List<YesNo> sample(TypeState[] types) {
        if (perFrame == 0) {
            return List.of();
        }
        boolean[] colourSeen = new boolean[Colour.values().length];
        boolean[] shapeSeen = new boolean[Shape.values().length];
        boolean anyPresent = false;
        boolean anyMoving = false;
        List<YesNo> yes = new ArrayList<>();
        List<YesNo> no = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            ObjectType type = ObjectType.of(i);
            boolean present = types[i].present();
            (present ? yes : no).add(new YesNo(WorldText.question(type), present));
            if (present) {
                anyPresent = true;
                colourSeen[type.colour().ordinal()] = true;
                shapeSeen[type.shape().ordinal()] = true;
                anyMoving |= types[i].motion() != Motion.NONE;
            }
        }
        for (Colour colour : Colour.values()) {
            boolean seen = colourSeen[colour.ordinal()];
            (seen ? yes : no).add(new YesNo(WorldText.question(colour), seen));
        }
        for (Shape shape : Shape.values()) {
            boolean seen = shapeSeen[shape.ordinal()];
            (seen ? yes : no).add(new YesNo(WorldText.question(shape), seen));
        }
        (anyMoving ? yes : no).add(new YesNo(WorldText.questionAnythingMoving(), anyMoving));
        (anyPresent ? no : yes).add(new YesNo(WorldText.questionEmpty(), !anyPresent));

        int each = Math.min(perFrame / 2, Math.min(yes.size(), no.size()));
        List<YesNo> picked = new ArrayList<>(2 * each);
        pick(yes, each, picked);
        pick(no, each, picked);
        shuffle(picked);
        return picked;
    }

    private void pick(List<YesNo> pool, int count, List<YesNo> out) {
        for (int k = 0; k < count; k++) {
            out.add(pool.remove(random.nextInt(pool.size())));
        }
    }

    private void shuffle(List<YesNo> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }
}
