package casastream.model.world;

import casastream.model.text.WorldText;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks a frame's yes/no questions: as many yes as no (so answering always "yes" scores one half),
 * drawn from questions about a type, a colour, a shape, movement and emptiness. An empty scene has
 * only one true question ("is the scene empty ?"), so it gets one of each.
 *
 * <p>In the history world the questions "has the X been here long ?" (about present types) and "did
 * anything come back ?" join them, and the pick is balanced per kind of question (type, colour, shape,
 * moving, empty, been here long, came back), not only per frame: each pick draws a kind uniformly among
 * those that may be asked with the wanted answer now, a kind being asked with an answer only while it
 * has not been given that answer more often than the other in this stream, then a question of that
 * kind. Every kind is thus answered yes as often as no (within one) in every stream; within a kind the
 * questions differ only by type, colour or shape, which the world treats alike, so each question text
 * is answered yes about half of the time, and a model that does not look cannot beat chance from the
 * words of a question (the single-question kinds, such as "is the scene empty ?", are balanced exactly).
 */
final class QuestionSampler {

    private enum Kind { TYPE, COLOUR, SHAPE, MOVING, EMPTY, LONG, CAME_BACK }

    private record Candidate(Kind kind, YesNo question) {
    }

    private final int perFrame;
    private final SplittableRandom random;
    private final HistoryRules rules;
    /** History world: per kind of question, how often it was answered {no, yes} in this stream. */
    private final int[][] asked = new int[Kind.values().length][2];

    QuestionSampler(int perFrame, SplittableRandom random, HistoryRules rules) {
        this.perFrame = perFrame;
        this.random = random;
        this.rules = rules;
    }

    /** The frame's questions; {@code history} is null in a world without history events. */
    List<YesNo> sample(TypeState[] types, HistoryState[] history) {
        if (perFrame == 0) {
            return List.of();
        }
        if (history != null) {
            return sampleBalanced(types, history);
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

    private List<YesNo> sampleBalanced(TypeState[] types, HistoryState[] history) {
        List<Candidate> yes = new ArrayList<>();
        List<Candidate> no = new ArrayList<>();
        boolean[] colourSeen = new boolean[Colour.values().length];
        boolean[] shapeSeen = new boolean[Shape.values().length];
        boolean anyPresent = false;
        boolean anyMoving = false;
        boolean anyReturned = false;
        for (int i = 0; i < types.length; i++) {
            ObjectType type = ObjectType.of(i);
            boolean present = types[i].present();
            offer(Kind.TYPE, WorldText.question(type), present, yes, no);
            if (present) {
                anyPresent = true;
                colourSeen[type.colour().ordinal()] = true;
                shapeSeen[type.shape().ordinal()] = true;
                anyMoving |= types[i].motion() != Motion.NONE;
                anyReturned |= history[i].returned();
                offer(Kind.LONG, WorldText.questionBeenHereLong(type), history[i].beenHereLong(rules.stayFrames()), yes, no);
            }
        }
        for (Colour colour : Colour.values()) {
            offer(Kind.COLOUR, WorldText.question(colour), colourSeen[colour.ordinal()], yes, no);
        }
        for (Shape shape : Shape.values()) {
            offer(Kind.SHAPE, WorldText.question(shape), shapeSeen[shape.ordinal()], yes, no);
        }
        offer(Kind.MOVING, WorldText.questionAnythingMoving(), anyMoving, yes, no);
        offer(Kind.EMPTY, WorldText.questionEmpty(), !anyPresent, yes, no);
        offer(Kind.CAME_BACK, WorldText.questionAnythingCameBack(), anyReturned, yes, no);

        List<YesNo> picked = new ArrayList<>(perFrame);
        for (int k = 0; k < perFrame / 2; k++) {
            Candidate y = pickByKind(yes, true);
            Candidate n = y == null ? null : pickByKind(no, false);
            if (n == null) {
                if (y != null) {
                    asked[y.kind().ordinal()][1]--; // only pairs are asked: every frame has as many yes as no
                }
                break;
            }
            picked.add(y.question());
            picked.add(n.question());
        }
        shuffle(picked);
        return picked;
    }

    private static void offer(Kind kind, String question, boolean answer, List<Candidate> yes, List<Candidate> no) {
        (answer ? yes : no).add(new Candidate(kind, new YesNo(question, answer)));
    }

    /**
     * A kind drawn uniformly among those in the pool that may be asked with this answer now (their
     * answer counts in this stream stay balanced), then a question of that kind, removed from the pool;
     * null when no kind may.
     */
    private Candidate pickByKind(List<Candidate> pool, boolean answer) {
        int a = answer ? 1 : 0;
        List<Kind> kinds = new ArrayList<>();
        for (Candidate c : pool) {
            int[] counts = asked[c.kind().ordinal()];
            if (!kinds.contains(c.kind()) && counts[a] <= counts[1 - a]) {
                kinds.add(c.kind());
            }
        }
        if (kinds.isEmpty()) {
            return null;
        }
        kinds.sort(null);
        Kind kind = kinds.get(random.nextInt(kinds.size()));
        List<Integer> ofKind = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            if (pool.get(i).kind() == kind) {
                ofKind.add(i);
            }
        }
        asked[kind.ordinal()][a]++;
        return pool.remove((int) ofKind.get(random.nextInt(ofKind.size())));
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
