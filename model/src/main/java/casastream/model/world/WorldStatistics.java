package casastream.model.world;

import casastream.model.text.WorldText;

/**
 * What a sample of streams looks like: how full the scenes are, how often objects come and go,
 * how often present objects stand still, and how the movement directions and answers are spread.
 * Training depends on these proportions, so tests pin them and the contact sheet prints them.
 *
 * @param frames             frames measured
 * @param objectCountShare   share of frames with 0, 1, 2, ... present objects (index = count)
 * @param entryExitShare     share of frames with at least one "entered" or "left" event
 * @param stillShare         share of object-frames present in both frames that did not move
 * @param directionShare     share of movement events per direction, in Motion order LEFT, RIGHT, UP, DOWN
 * @param yesShare           share of questions answered yes
 * @param questionsPerFrame  mean questions per frame
 */
public record WorldStatistics(long frames, double[] objectCountShare, double entryExitShare, double stillShare,
                              double[] directionShare, double yesShare, double questionsPerFrame) {

    /** Measures {@code streams} streams of {@code framesPerStream} frames with seeds firstSeed, firstSeed+1, ... */
    public static WorldStatistics measure(WorldConfig config, long firstSeed, int streams, int framesPerStream) {
        long[] counts = new long[config.maxObjects() + 1];
        long[] directions = new long[4];
        long frames = 0;
        long entryExitFrames = 0;
        long bothFrames = 0;
        long still = 0;
        long questions = 0;
        long yes = 0;
        for (int s = 0; s < streams; s++) {
            CameraWorld world = new CameraWorld(config, firstSeed + s);
            for (int f = 0; f < framesPerStream; f++) {
                WorldFrame frame = world.next();
                frames++;
                counts[Math.min(frame.presentCount(), config.maxObjects())]++;
                boolean comeOrGo = false;
                for (TypeState t : frame.types()) {
                    comeOrGo |= t.entered() && frame.index() > 0 || t.left();
                    if (t.present() && t.presentBefore()) {
                        bothFrames++;
                        if (t.motion() == Motion.NONE) {
                            still++;
                        } else {
                            directions[t.motion().ordinal() - 1]++;
                        }
                    }
                }
                if (comeOrGo) {
                    entryExitFrames++;
                }
                for (YesNo q : frame.questions()) {
                    questions++;
                    if (q.answer()) {
                        yes++;
                    }
                }
            }
        }
        long moves = bothFrames - still;
        return new WorldStatistics(frames, shares(counts, frames), ratio(entryExitFrames, frames), ratio(still, bothFrames),
                shares(directions, moves), ratio(yes, questions), ratio(questions, frames));
    }

    private static double[] shares(long[] counts, long total) {
        double[] shares = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            shares[i] = ratio(counts[i], total);
        }
        return shares;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** A few lines for people to read. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("frames %d%n", frames));
        text.append("present objects:");
        for (int i = 0; i < objectCountShare.length; i++) {
            text.append(String.format(" %d=%.1f%%", i, 100 * objectCountShare[i]));
        }
        text.append(String.format("%nframes with entered/left: %.1f%%%n", 100 * entryExitShare));
        text.append(String.format("still object-frames: %.1f%%%n", 100 * stillShare));
        text.append("movement directions:");
        for (Motion m : new Motion[] {Motion.LEFT, Motion.RIGHT, Motion.UP, Motion.DOWN}) {
            text.append(String.format(" %s=%.1f%%", m.word(), 100 * directionShare[m.ordinal() - 1]));
        }
        text.append(String.format("%nquestions per frame %.2f, answered %s: %.1f%%%n", questionsPerFrame, WorldText.YES, 100 * yesShare));
        return text.toString();
    }
}
