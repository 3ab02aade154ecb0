package casastream.model.train;

import casastream.model.CasaConfig;
import casastream.model.text.WorldTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Plain-java entry point of the trainer for machines without the CLI jar:
 * {@code java -cp <model classpath> casastream.model.train.TrainMain --run runs/x [--minutes M] [--steps N]
 * [--batch B] [--frames F] [--stream-frames N] [--init-from DIR|shipped] [--world history|default] [--lr RATE]
 * [--schedule-steps N] [--validate-minutes M] [--checkpoint-minutes M] [--validation-streams N] [--validation-frames N]}.
 * {@code ./casa-stream train} takes the same options.
 */
public final class TrainMain {

    private TrainMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments come in pairs like --run DIR; got " + String.join(" ", args));
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        TrainingOptions d = TrainingOptions.defaults(Path.of(given.getOrDefault("run", "runs/default")));
        TrainingOptions options = new TrainingOptions(d.runDir(), given.get("init-from"),
                Long.parseLong(given.getOrDefault("steps", "0")), Double.parseDouble(given.getOrDefault("minutes", "0")),
                Integer.parseInt(given.getOrDefault("batch", "" + d.batch())),
                Integer.parseInt(given.getOrDefault("frames", "" + d.frames())),
                Integer.parseInt(given.getOrDefault("stream-frames", "" + d.streamFrames())),
                Float.parseFloat(given.getOrDefault("lr", "" + d.peakLearningRate())), d.floorLearningRate(), d.warmupSteps(),
                Long.parseLong(given.getOrDefault("schedule-steps", "" + d.scheduleSteps())), d.clipNorm(), d.weightDecay(),
                d.seed(), Double.parseDouble(given.getOrDefault("checkpoint-minutes", "" + d.checkpointMinutes())),
                Double.parseDouble(given.getOrDefault("validate-minutes", "" + d.validateMinutes())),
                Integer.parseInt(given.getOrDefault("validation-streams", "" + d.validationStreams())),
                Integer.parseInt(given.getOrDefault("validation-frames", "" + d.validationFrames())), given.get("world"));
        Trainer trainer = new Trainer(options, CasaConfig.defaults(WorldTokenizer.instance()), System.out);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            trainer.requestStop();
            try {
                main.join(120_000); // let the loop save its checkpoint before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        trainer.run();
    }
}
