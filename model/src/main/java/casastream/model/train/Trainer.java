package casastream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.checkpoint.Checkpoint;
import casastream.model.checkpoint.SafeTensors;
import casastream.model.eval.MemoryAblation;
import casastream.model.eval.StreamingEvaluator;
import casastream.model.eval.metrics.Scores;
import casastream.model.memory.MemoryBatch;
import casastream.model.memory.StreamMemory;
import casastream.model.text.WorldTokenizer;
import casastream.model.nn.Parameters;
import casastream.model.world.ObjectType;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * Trains a CASA model on camera-world streams the way it will run: B streams unrolled F frames at a
 * time, frame after frame, each frame's window decoded over the memory built (with gradient) from
 * the previous frames, through exactly the code that serves streams. The memory is carried (without
 * gradient) into the next step, so streams run for many steps. Saves {@code latest/} every few
 * minutes and on stop, validates by streaming greedy decoding and keeps the best as {@code best/}.
 */
public final class Trainer {

    public static final String LATEST = "latest";
    public static final String BEST = "best";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String VALIDATION_LOG = "validation.jsonl";

    private final TrainingOptions options;
    private final CasaConfig freshConfig;
    private final PrintStream log;
    private volatile boolean stopRequested;

    /**
     * @param freshConfig the model to create when the run directory holds no checkpoint and no
     *                    --init-from is given
     */
    public Trainer(TrainingOptions options, CasaConfig freshConfig, PrintStream log) {
        this.options = options;
        this.freshConfig = freshConfig;
        this.log = log;
    }

    /** Asks the loop to save and return after the current step (e.g. from a SIGTERM hook). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Runs until the step or time limit or a stop request; returns the final state. */
    public TrainState run() throws IOException {
        Path latest = options.runDir().resolve(LATEST);
        Files.createDirectories(options.runDir());
        boolean resuming = Checkpoint.exists(latest);
        TrainState state;
        CasaModel model;
        if (resuming) {
            model = CasaModel.load(latest);
            state = TrainState.readOrStart(latest);
            log("resuming " + latest + " at step " + state.step());
            if (!targetConfig(model.config()).equals(model.config())) {
                model.close();
                throw new IllegalArgumentException("the run directory " + options.runDir() + " holds a model for another world than --world "
                        + options.world() + ": resume it without --world, or start a new --run directory");
            }
        } else if (options.initFrom() != null) {
            boolean shipped = options.initFrom().equals("shipped");
            model = shipped ? CasaModel.loadShipped() : CasaModel.load(Path.of(options.initFrom()));
            TrainState from = shipped ? TrainState.readShippedOrStart() : TrainState.readOrStart(Path.of(options.initFrom()));
            state = new TrainState(from.step(), from.seedCursor(), from.trainingSeconds(), -1, -1);
            log("starting from " + options.initFrom() + " (its step " + state.step() + ")");
            CasaConfig target = targetConfig(model.config());
            if (!target.equals(model.config())) {
                CasaModel grownFrom = model;
                try {
                    model = ModelGrowth.grow(grownFrom, target, options.seed(), this::log);
                } finally {
                    grownFrom.close();
                }
            }
        } else {
            model = CasaModel.create(targetConfig(freshConfig), options.seed());
            state = TrainState.start();
            log("starting a fresh model");
        }
        try (CasaModel trained = model) {
            return train(trained, state, resuming ? latest : null);
        }
    }

    /**
     * The design to train: the given one, or (--world history) its history variant: the history
     * tokenizer, a longer events segment and gist recurrence.
     */
    private CasaConfig targetConfig(CasaConfig config) {
        WorldConfig own = WorldConfig.forVocabulary(WorldTokenizer.named(config.tokenizer()));
        if (TrainingOptions.HISTORY.equals(options.world()) && !own.hasHistory()) {
            return config.forHistory(WorldTokenizer.history());
        }
        if (TrainingOptions.DEFAULT_WORLD.equals(options.world()) && own.hasHistory()) {
            throw new IllegalArgumentException("the model (tokenizer " + config.tokenizer() + ") is made for the history world: "
                    + "it cannot be trained on the frame-to-frame world (--world " + TrainingOptions.DEFAULT_WORLD + ")");
        }
        return config;
    }

    private TrainState train(CasaModel model, TrainState initial, Path resumeFrom) throws IOException {
        CasaConfig config = model.config();
        WorldConfig world = WorldConfig.forVocabulary(model.tokenizer());
        Parameters probeParameters = new Parameters(model.manager(), options.seed() + 1);
        GistProbes probes = new GistProbes(probeParameters, config.width(), config.decoderLayers(), world.history());
        boolean probesOn = config.gistTokens() == ObjectType.COUNT && config.decoderLayers() >= 2;
        Map<String, NDArray> trainable = new LinkedHashMap<>(model.parameters().all());
        if (probesOn) {
            trainable.putAll(probeParameters.all());
        }
        Adam adam = new Adam(model.manager(), trainable, options.weightDecay());
        // moments that start from zero past the schedule's own warm-up (a new run from a trained model) get a
        // warm-up of their own: the schedule's rate at step 10,000 at once, on fresh moments, undid much of a
        // trained model within 5 steps
        boolean freshMoments = !(resumeFrom != null && restoreOptimizer(model, resumeFrom, adam, probeParameters, initial.step()))
                && initial.step() > 0;
        log(String.format("model: %,d parameters, window %d tokens, memory %d entries x %d layers%s (%,d bytes); probes %s; "
                        + "world: %s, streams of %d frames",
                model.parameters().count(), config.windowLength(), config.memoryEntries(), config.selfAttentionLayers(),
                config.gistRecurrence() ? " + gist state" : "", StreamMemory.byteSize(config),
                probesOn ? (probes.hasHistory() ? "on, with the history probe" : "on") : "off (need one gist token per object type)",
                world.hasHistory() ? "history (stayed after " + world.history().stayFrames() + " frames, came back within "
                        + world.history().returnFrames() + ")" : "frame to frame",
                options.streamFramesIn(world.hasHistory())));

        Schedule schedule = new Schedule(options.peakLearningRate(), options.floorLearningRate(), options.warmupSteps(),
                options.scheduleSteps());
        StreamSampler sampler = new StreamSampler(world, SeedRanges.TRAIN, options.batch(),
                options.streamFramesIn(world.hasHistory()), initial.seedCursor(), world.hasHistory());
        TrainingStep trainingStep = new TrainingStep(model, probesOn ? probes : null, sampler,
                new Random(options.seed() ^ initial.step()), options.frames(), world.history());
        TrainState state = initial;
        long invocationStart = System.nanoTime();
        long stepsDone = 0;
        long segmentStart = invocationStart; // steps and seconds not yet folded into the state
        long segmentSteps = 0;
        long lastCheckpoint = invocationStart;
        long lastValidation = invocationStart;
        NDManager carry = model.manager().newSubManager();
        MemoryBatch memory = MemoryBatch.empty(carry, config, options.batch());
        double smoothedLoss = Double.NaN;
        double smoothedHistory = Double.NaN;
        try (ProgressBar bar = progressBar()) {
            while (!stopRequested && !limitReached(stepsDone, invocationStart)) {
                long step = state.step() + segmentSteps;
                NDManager nextCarry = model.manager().newSubManager();
                TrainingStep.Result result = trainingStep.run(memory, nextCarry, schedule.probeWeight(step));
                carry.close();
                carry = nextCarry;
                memory = result.memory();
                float learningRate = schedule.learningRate(step)
                        * (freshMoments ? Math.min(1f, (stepsDone + 1) / (float) options.warmupSteps()) : 1f);
                float gradientNorm = adam.step(learningRate, options.clipNorm());
                if (!(gradientNorm <= Adam.MAX_NORM)) {
                    log(String.format("step %d skipped: gradient norm %s (text loss %.3f, probe loss %.3f), largest in %s",
                            step, gradientNorm, result.textLoss(), result.probeLoss(), adam.largestGradient()));
                }
                stepsDone++;
                segmentSteps++;
                smoothedLoss = Double.isNaN(smoothedLoss) ? result.textLoss() : 0.98 * smoothedLoss + 0.02 * result.textLoss();
                smoothedHistory = Double.isNaN(smoothedHistory) ? result.historyProbeLoss()
                        : 0.98 * smoothedHistory + 0.02 * result.historyProbeLoss();
                bar.setExtraMessage(String.format(" step %d loss %.3f probe %.3f%s |g| %.2f lr %.1e", step + 1, smoothedLoss,
                        result.probeLoss(), probes.hasHistory() && probesOn ? String.format(" history %.3f", smoothedHistory) : "",
                        gradientNorm, learningRate));
                bar.stepTo(options.maxSteps() > 0 ? stepsDone : (System.nanoTime() - invocationStart) / 1_000_000_000L);
                boolean checkpointDue = minutes(System.nanoTime() - lastCheckpoint) >= options.checkpointMinutes();
                boolean validationDue = minutes(System.nanoTime() - lastValidation) >= options.validateMinutes();
                if (checkpointDue || validationDue) {
                    state = state.advanced(segmentSteps, sampler.cursor(), (System.nanoTime() - segmentStart) / 1e9);
                    segmentSteps = 0;
                    if (validationDue) {
                        state = validate(model, state, smoothedLoss);
                        lastValidation = System.nanoTime();
                    }
                    if (checkpointDue) {
                        saveLatest(model, state, adam, probeParameters);
                        lastCheckpoint = System.nanoTime();
                    }
                    segmentStart = System.nanoTime();
                }
            }
        } finally {
            carry.close();
        }
        state = state.advanced(segmentSteps, sampler.cursor(), (System.nanoTime() - segmentStart) / 1e9);
        // the checkpoint first: a stop asked for by a signal has a bounded time to finish, which a validation on a
        // busy machine can take all of (it did, and the run's last steps were lost)
        saveLatest(model, state, adam, probeParameters);
        if (!stopRequested) {
            state = validate(model, state, smoothedLoss);
            state.write(options.runDir().resolve(LATEST)); // the best score the validation may have raised
        }
        log(String.format("stopped at step %d after %.1f training minutes in total", state.step(), state.trainingSeconds() / 60));
        return state;
    }

    /**
     * Streaming validation; the score is the mean of caption exact match, event F1, motion F1 and yes/no
     * accuracy, and in the history world history F1 as a fifth.
     */
    private TrainState validate(CasaModel model, TrainState state, double loss) throws IOException {
        long start = System.nanoTime();
        WorldConfig world = WorldConfig.forVocabulary(model.tokenizer());
        boolean history = world.hasHistory();
        List<Long> seeds = LongStream.range(0, options.validationStreamsIn(history))
                .map(i -> SeedRanges.requireValidation(SeedRanges.VALIDATION.seed(i))).boxed().toList();
        Map<MemoryAblation, Scores> scores = new StreamingEvaluator(model, world, 32)
                .evaluate(seeds, options.validationFramesIn(history), List.of(MemoryAblation.FULL, MemoryAblation.NO_GIST),
                        done -> { });
        Scores full = scores.get(MemoryAblation.FULL);
        Scores noGist = scores.get(MemoryAblation.NO_GIST);
        double score = history
                ? (full.captionExactMatch() + full.eventF1() + full.motionF1() + full.yesnoAccuracy() + full.historyF1()) / 5
                : (full.captionExactMatch() + full.eventF1() + full.motionF1() + full.yesnoAccuracy()) / 4;
        log(String.format("validation step %d (%.0f min trained, loss %.3f): %s | no_gist motion_f1=%.3f%s | %.0f s",
                state.step(), state.trainingSeconds() / 60, loss, full.describe(), noGist.motionF1(),
                history ? String.format(" history_f1=%.3f", noGist.historyF1()) : "",
                (System.nanoTime() - start) / 1e9));
        String line = String.format("{\"step\":%d,\"minutes\":%.1f,\"loss\":%.4f,\"score\":%.4f,\"full\":%s,\"no_gist\":%s}%n",
                state.step(), state.trainingSeconds() / 60, loss, score, json(full), json(scores.get(MemoryAblation.NO_GIST)));
        Files.writeString(options.runDir().resolve(VALIDATION_LOG), line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (score > state.bestScore()) {
            TrainState best = state.withBest(score);
            Path dir = options.runDir().resolve(BEST);
            model.save(dir, SafeTensors.DType.F32);
            best.write(dir);
            log(String.format("new best %.4f saved to %s", score, dir));
            return best;
        }
        return state;
    }

    private static String json(Scores scores) {
        StringBuilder out = new StringBuilder("{");
        scores.asMetrics().forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return out.append('}').toString();
    }

    private void saveLatest(CasaModel model, TrainState state, Adam adam, Parameters probes) throws IOException {
        Path dir = options.runDir().resolve(LATEST);
        model.save(dir, SafeTensors.DType.F32);
        Map<String, NDArray> optimizer = new LinkedHashMap<>(adam.state());
        optimizer.putAll(probes.all());
        Checkpoint.writeAtomically(dir.resolve(OPTIMIZER_FILE), out -> SafeTensors.write(out, optimizer, SafeTensors.DType.F32, Map.of()));
        state.write(dir);
        log(String.format("checkpoint at step %d saved to %s", state.step(), dir));
    }

    /** Restores Adam's moments and the probes from a run directory; false when it has none. */
    private boolean restoreOptimizer(CasaModel model, Path dir, Adam adam, Parameters probes, long step) throws IOException {
        Path file = dir.resolve(OPTIMIZER_FILE);
        if (!Files.isRegularFile(file)) {
            log("no optimizer state in " + dir + ": moments start from zero");
            return false;
        }
        try (NDManager scratch = model.manager().newSubManager(); InputStream in = Files.newInputStream(file)) {
            Map<String, NDArray> saved = SafeTensors.read(in, scratch, file.toString());
            adam.restore(saved, step);
            Map<String, NDArray> probeValues = new LinkedHashMap<>();
            probes.all().keySet().forEach(name -> probeValues.put(name, saved.get(name)));
            if (probeValues.values().stream().allMatch(Objects::nonNull)) {
                probes.load(probeValues);
            }
        }
        return true;
    }

    private boolean limitReached(long stepsHere, long started) {
        return (options.maxSteps() > 0 && stepsHere >= options.maxSteps())
                || (options.maxMinutes() > 0 && minutes(System.nanoTime() - started) >= options.maxMinutes());
    }

    private ProgressBar progressBar() {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(options.maxSteps() > 0 ? "train (steps)" : "train (seconds)")
                .setInitialMax(options.maxSteps() > 0 ? options.maxSteps() : (long) (options.maxMinutes() * 60))
                .setStyle(ProgressBarStyle.ASCII);
        if (System.console() == null) {
            // wide enough for the whole message: a log file has no terminal width to cut it to
            builder.setConsumer(new DelegatingProgressBarConsumer(this::log, 240)).setUpdateIntervalMillis(60_000);
        }
        return builder.build();
    }

    private static double minutes(long nanos) {
        return nanos / 60e9;
    }

    private void log(String message) {
        log.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
        log.flush();
    }
}
