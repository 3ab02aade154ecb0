package casastream.model.text;

import casastream.model.world.Colour;
import casastream.model.world.Motion;
import casastream.model.world.ObjectType;
import casastream.model.world.Shape;
import casastream.model.world.TypeState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The canonical text forms of the camera world, in one place: captions, events, questions and
 * answers. Words are lower case and separated by single spaces; "," follows its word directly, while
 * ";" and "?" stand between spaces, so each punctuation mark is a token of its own.
 */
public final class WorldText {

    /** The caption of an empty scene. */
    public static final String NOTHING = "nothing";
    /** The events text of a frame without events. */
    public static final String NO_EVENTS = "none";
    /** Between two events of one frame. */
    public static final String EVENT_SEPARATOR = " ; ";
    public static final String YES = "yes";
    public static final String NO = "no";

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SPACE_BEFORE_COMMA = Pattern.compile(" ,");

    private WorldText() {
    }

    /** The caption naming the present types in the fixed type order, e.g. "a red circle, a blue square and a green triangle". */
    public static String caption(Collection<ObjectType> present) {
        List<ObjectType> sorted = new ArrayList<>(new LinkedHashSet<>(present));
        sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
        if (sorted.isEmpty()) {
            return NOTHING;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0) {
                text.append(i == sorted.size() - 1 ? " and " : ", ");
            }
            text.append("a ").append(sorted.get(i).words());
        }
        return text.toString();
    }

    /** The caption of a frame's ground truth, indexed by {@link ObjectType#index()}. */
    public static String caption(TypeState[] types) {
        List<ObjectType> present = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            if (types[i].present()) {
                present.add(ObjectType.of(i));
            }
        }
        return caption(present);
    }

    /** e.g. "a green triangle entered" */
    public static String entered(ObjectType type) {
        return "a " + type.words() + " entered";
    }

    /** e.g. "the red circle left" */
    public static String left(ObjectType type) {
        return "the " + type.words() + " left";
    }

    /** e.g. "the blue square moved left" */
    public static String moved(ObjectType type, Motion motion) {
        return "the " + type.words() + " moved " + motion.word();
    }

    /** e.g. "the red circle stayed": present for the history rules' stayFrames frames in a row. */
    public static String stayed(ObjectType type) {
        return "the " + type.words() + " stayed";
    }

    /** e.g. "the red circle came back": present again within the history rules' returnFrames frames of leaving. */
    public static String cameBack(ObjectType type) {
        return "the " + type.words() + " came back";
    }

    /** Whether an event (canonical or not) reads "the ... stayed" or "the ... came back": it needs many frames of history. */
    public static boolean isHistoryEvent(String event) {
        String[] words = normalise(event).split(" ");
        return words[0].equals("the") && (words.length == 4 && words[3].equals("stayed")
                || words.length == 5 && words[3].equals("came") && words[4].equals("back"));
    }

    /** Whether an event (canonical or not) reports a movement, i.e. reads "the ... moved ...". */
    public static boolean isMotionEvent(String event) {
        String[] words = normalise(event).split(" ");
        return words.length == 5 && words[0].equals("the") && words[3].equals("moved");
    }

    /** The events of a frame as one text: joined by " ; ", or "none" when there are none. */
    public static String events(List<String> events) {
        return events.isEmpty() ? NO_EVENTS : String.join(EVENT_SEPARATOR, events);
    }

    /**
     * The events in a text, the inverse of {@link #events(List)}. Tolerant of what a model may
     * write: null or blank gives none, whitespace and case are normalised, empty pieces, "none"
     * and repeats are dropped. Pieces that are not canonical events are kept, so they count as
     * wrong predictions rather than vanish.
     */
    public static List<String> parseEvents(String text) {
        if (text == null) {
            return List.of();
        }
        Set<String> events = new LinkedHashSet<>();
        for (String piece : text.split(";")) {
            String event = normalise(piece);
            if (!event.isEmpty() && !event.equals(NO_EVENTS)) {
                events.add(event);
            }
        }
        return List.copyOf(events);
    }

    /** e.g. "is there a blue square ?" */
    public static String question(ObjectType type) {
        return "is there a " + type.words() + " ?";
    }

    /** e.g. "is there a red thing ?" */
    public static String question(Colour colour) {
        return "is there a " + colour.word() + " thing ?";
    }

    /** e.g. "is there a circle ?" */
    public static String question(Shape shape) {
        return "is there a " + shape.word() + " ?";
    }

    /** Answered yes when some present object moved since the previous frame: only memory can tell. */
    public static String questionAnythingMoving() {
        return "is anything moving ?";
    }

    /** Answered yes when nothing is present. */
    public static String questionEmpty() {
        return "is the scene empty ?";
    }

    /** e.g. "has the blue square been here long ?": asked about a present type, yes when it stayed (history world). */
    public static String questionBeenHereLong(ObjectType type) {
        return "has the " + type.words() + " been here long ?";
    }

    /** "did anything come back ?": yes when a present type's current visit began by coming back (history world). */
    public static String questionAnythingCameBack() {
        return "did anything come back ?";
    }

    /** Whether a question (canonical or not) is one of the history world's questions. */
    public static boolean isHistoryQuestion(String question) {
        String q = normalise(question);
        return q.equals(questionAnythingCameBack()) || q.startsWith("has the ") && q.endsWith(" been here long ?");
    }

    /** Every question the world asks, in a fixed order. */
    public static List<String> allQuestions() {
        List<String> questions = new ArrayList<>();
        for (int i = 0; i < ObjectType.COUNT; i++) {
            questions.add(question(ObjectType.of(i)));
        }
        for (Colour colour : Colour.values()) {
            questions.add(question(colour));
        }
        for (Shape shape : Shape.values()) {
            questions.add(question(shape));
        }
        questions.add(questionAnythingMoving());
        questions.add(questionEmpty());
        return List.copyOf(questions);
    }

    public static String answer(boolean yes) {
        return yes ? YES : NO;
    }

    /** "yes" or "no" (after normalising), or empty for anything else. */
    public static Optional<Boolean> parseAnswer(String text) {
        String answer = normalise(text);
        if (answer.equals(YES)) {
            return Optional.of(true);
        }
        return answer.equals(NO) ? Optional.of(false) : Optional.empty();
    }

    /** Trims, lower-cases and collapses whitespace, and attaches "," to the word before it; null gives "". */
    public static String normalise(String text) {
        if (text == null) {
            return "";
        }
        String collapsed = WHITESPACE.matcher(text.trim().toLowerCase(Locale.ROOT)).replaceAll(" ");
        return SPACE_BEFORE_COMMA.matcher(collapsed).replaceAll(",");
    }

    /** Every question the history world asks, in a fixed order: {@link #allQuestions()}, then the history questions. */
    public static List<String> allHistoryQuestions() {
        List<String> questions = new ArrayList<>(allQuestions());
        for (int i = 0; i < ObjectType.COUNT; i++) {
            questions.add(questionBeenHereLong(ObjectType.of(i)));
        }
        questions.add(questionAnythingCameBack());
        return List.copyOf(questions);
    }

    /**
     * The words the history world adds to {@link #words()}, in a fixed order: a vocabulary that knows them
     * is {@link #words()} followed by these, so every older id keeps its meaning.
     */
    public static List<String> historyWords() {
        return List.of("stayed", "came", "back", "has", "been", "here", "long", "did", "come");
    }

    /** Every word and punctuation token the world's texts use, in a fixed order. */
    public static List<String> words() {
        Set<String> words = new LinkedHashSet<>(List.of(
                "a", "the", "and", ",", ";", "?", NOTHING, NO_EVENTS, "entered", "left", "moved",
                "is", "there", "thing", "anything", "moving", "scene", "empty", YES, NO));
        for (Motion motion : Motion.values()) {
            if (motion != Motion.NONE) {
                words.add(motion.word());
            }
        }
        for (Colour colour : Colour.values()) {
            words.add(colour.word());
        }
        for (Shape shape : Shape.values()) {
            words.add(shape.word());
        }
        return List.copyOf(words);
    }
}
