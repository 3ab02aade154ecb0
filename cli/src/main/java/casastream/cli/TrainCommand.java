package casastream.cli;

import casastream.cli.tools.ToolException;
import casastream.model.CasaConfig;
import casastream.model.ModelFormatException;
import casastream.model.text.WorldTokenizer;
import casastream.model.train.Trainer;
import casastream.model.train.TrainingOptions;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./casa-stream train}: trains the CASA model on camera-world streams, resumably. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the CASA model on synthetic camera-world streams (training seeds only), with a progress bar.",
      "Checkpoints to RUN/latest every few minutes and on Ctrl-C/SIGTERM; rerunning with the same --run resumes.",
      "Streaming validation on validation seeds keeps the best model in RUN/best."
    })
final class TrainCommand extends ToolCommand {

  @Option(names = "--run", paramLabel = "DIR", defaultValue = "runs/default",
      description = "Run directory (checkpoints, state, validation log). Default: ${DEFAULT-VALUE}.")
  Path run;

  @Option(names = "--init-from", paramLabel = "DIR|shipped",
      description = "Start a new run from this checkpoint (or the shipped model) instead of random weights.")
  String initFrom;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "0", description = "Stop after N steps (0: no limit).")
  long steps;

  @Option(names = "--minutes", paramLabel = "M", defaultValue = "0", description = "Stop after M minutes (0: no limit).")
  double minutes;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "16", description = "Streams per step. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--frames", paramLabel = "F", defaultValue = "8",
      description = "Frames unrolled per step. Default: ${DEFAULT-VALUE}.")
  int frames;

  @Option(names = "--stream-frames", paramLabel = "N",
      description = "Frames a training stream lasts (default 50, or 400 in the history world).")
  Integer streamFrames;

  @Option(names = "--world", paramLabel = "history|default",
      description = {"The world to train on (default: the model's own, which its tokenizer selects).",
          "history: the world with 'stayed' / 'came back' events; a model made for the frame-to-frame world is",
          "grown into it first (vocabulary appended, longer events segment, gist recurrence), keeping its weights."})
  String world;

  @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default 1.5e-3).")
  Float learningRate;

  @Option(names = "--schedule-steps", paramLabel = "N",
      description = "Length of the learning-rate cosine and probe curriculum in steps (default 30000).")
  Long scheduleSteps;

  @Option(names = "--checkpoint-minutes", paramLabel = "M", description = "Minutes between checkpoints (default 8).")
  Double checkpointMinutes;

  @Option(names = "--validate-minutes", paramLabel = "M", description = "Minutes between validations (default 10).")
  Double validateMinutes;

  @Option(names = "--validation-streams", paramLabel = "N",
      description = "Validation streams (default 32, or 16 in the history world).")
  Integer validationStreams;

  @Option(names = "--validation-frames", paramLabel = "N",
      description = "Frames per validation stream (default 20, or 160 in the history world).")
  Integer validationFrames;

  @Override
  protected int run() throws Exception {
    TrainingOptions d = TrainingOptions.defaults(run);
    TrainingOptions options = new TrainingOptions(run, initFrom, steps, minutes, batch, frames,
        streamFrames == null ? d.streamFrames() : streamFrames,
        learningRate == null ? d.peakLearningRate() : learningRate, d.floorLearningRate(), d.warmupSteps(),
        scheduleSteps == null ? d.scheduleSteps() : scheduleSteps, d.clipNorm(), d.weightDecay(), d.seed(),
        checkpointMinutes == null ? d.checkpointMinutes() : checkpointMinutes,
        validateMinutes == null ? d.validateMinutes() : validateMinutes,
        validationStreams == null ? d.validationStreams() : validationStreams,
        validationFrames == null ? d.validationFrames() : validationFrames, world);
    Trainer trainer = new Trainer(options, CasaConfig.defaults(WorldTokenizer.instance()), System.out);
    // On SIGTERM or Ctrl-C the loop stops and saves a checkpoint; the hook waits for that, not for
    // this thread to end: it never would, as its System.exit blocks while the JVM shuts down.
    CountDownLatch returned = new CountDownLatch(1);
    Thread saveOnExit = new Thread(() -> {
      trainer.requestStop();
      try {
        returned.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "save-on-exit");
    Runtime.getRuntime().addShutdownHook(saveOnExit);
    try {
      trainer.run();
    } catch (ModelFormatException | UncheckedIOException e) {
      throw new ToolException(ToolException.rootMessage(e), e);
    } finally {
      returned.countDown();
      removeHook(saveOnExit);
    }
    return 0;
  }

  /** Once the run has saved and returned, exiting must not wait for it again. */
  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // the JVM is shutting down and the hook is running: nothing to remove
    }
  }
}
