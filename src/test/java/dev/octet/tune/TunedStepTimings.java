package dev.octet.tune;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Where tuning logs' kernel-level gains go in the real model: compiles MODEL with the defaults and with each log,
 * runs them in turn on one thread in one process (a shared machine's drift hits all alike), and prints per step the
 * median wall time of each and the configuration each log chose ("=" where it is the default's), then the steps'
 * summed medians and the whole runs' medians. Not a test:
 * {@code java ... dev.octet.tune.TunedStepTimings MODEL LOG[,LOG...] N,C,H,W [RUNS]}.
 */
public final class TunedStepTimings {
    private TunedStepTimings() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String[] logs = args[1].split(",");
        int[] shape = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 11;
        CompileOptions base = CompileOptions.defaults().withThreads(1);
        Model model = Octet.load(file);
        Value in = model.graph().inputs().get(0);
        Random r = new Random(1);
        float[] x = new float[Arrays.stream(shape).reduce(1, Math::multiplyExact)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        Map<String, Tensor> inputs = Map.of(in.name(), Tensor.ofFloats(shape, x));
        List<CompiledModel> models = new java.util.ArrayList<>();
        models.add(Octet.compile(model, base));
        for (String log : logs) {
            TunedConfigs tuned = TunedConfigs.load(Path.of(log), System.err::println);
            models.add(Octet.compile(model, base.withConfigs(tuned)));
            System.out.println(log + ": tuned configs applied: " + tuned.applied());
        }
        int n = models.get(0).graph().nodes().size();
        int k = models.size();
        long[][][] steps = new long[k][runs][n];
        double[][] whole = new double[k][runs];
        for (int w = 0; w < 2; w++) {
            models.forEach(m -> m.run(inputs));
        }
        for (int run = 0; run < runs; run++) {
            for (int j = 0; j < k; j++) {
                long t0 = System.nanoTime();
                models.get(j).runTimedPerStep(inputs, steps[j][run]);
                whole[j][run] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] sums = new double[k];
        for (int i = 0; i < n; i++) {
            StringBuilder line = new StringBuilder(String.format("%3d", i));
            boolean ran = false;
            for (int j = 0; j < k; j++) {
                double ms = median(column(steps[j], i));
                sums[j] += ms;
                ran |= ms > 0;
                line.append(String.format(" %8.3f", ms));
            }
            for (int j = 0; j < k; j++) {
                String d = models.get(j).stepDescriptions().get(i);
                line.append(j == 0 ? "  " : " | ").append(j > 0 && d.equals(models.get(0).stepDescriptions().get(i))
                        ? "=" : d.replaceAll(" .*", ""));
            }
            if (ran) {
                System.out.println(line);
            }
        }
        for (int j = 0; j < k; j++) {
            System.out.printf("%s: steps' medians summed %.2f ms (%.3fx), whole runs median %.2f min %.2f ms (%.3fx)%n",
                    j == 0 ? "defaults" : logs[j - 1], sums[j], sums[0] / sums[j], median(whole[j]),
                    Arrays.stream(whole[j]).min().orElseThrow(), median(whole[0]) / median(whole[j]));
        }
        models.forEach(CompiledModel::close);
    }

    private static double[] column(long[][] m, int i) {
        double[] c = new double[m.length];
        for (int k = 0; k < m.length; k++) {
            c[k] = m[k][i] / 1e6;
        }
        return c;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
