package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A genetic tuner in the (μ+λ) style, as AutoTVM's GATuner: the population is the μ fastest configurations measured
 * so far (seeded with random ones), so the best never leave it until something beats them (elitism). Each child
 * takes two parents by tournament on measured cost, mixes their knobs uniformly and mutates each knob with
 * probability 1/knobs. A failed or wrong candidate has infinite cost: it loses every tournament. A child already
 * measured or proposed is mutated again, then replaced by a random unseen point, so nothing is proposed twice.
 */
final class GeneticTuner implements Tuner {
    private static final int TOURNAMENT = 3;
    private static final int RETRIES = 32;

    private final SpaceWalk walk;
    private final Random random;
    private final int populationSize;
    private final double mutationRate;
    private final MeasuredConfigs measured;

    /** @param mine this task's records on this target (from the log): measured, and so never proposed again */
    GeneticTuner(TuningTask task, List<TuningRecord> mine, long seed) {
        this.random = new Random(seed ^ task.key().hashCode());
        this.walk = new SpaceWalk(task.problem().spaces(), random);
        this.populationSize = (int) Math.clamp(walk.size() / 8, 4, 32);
        int knobs = task.problem().spaces().stream().mapToInt(s -> s.knobs().size()).max().orElse(1);
        this.mutationRate = 1.0 / Math.max(1, knobs);
        this.measured = new MeasuredConfigs(mine);
    }

    @Override
    public List<Config> next(int n) {
        List<Config> out = new ArrayList<>();
        List<Config> population = population();
        for (int i = 0; i < n; i++) {
            Config c = population.size() < populationSize ? walk.randomUnseen(measured.seen()) : child(population);
            if (c == null) {
                break;
            }
            measured.seen().add(c);
            out.add(c);
        }
        return out;
    }

    @Override
    public void update(List<Measurement> results) {
        measured.update(results);
    }

    /** The μ cheapest measured configurations, cheapest first. */
    private List<Config> population() {
        return measured.costs().entrySet().stream()
                .sorted(Map.Entry.<Config, Double>comparingByValue().thenComparing(e -> e.getKey().toString()))
                .limit(populationSize).map(Map.Entry::getKey).toList();
    }

    private Config child(List<Config> population) {
        Config c = walk.crossover(tournament(population), tournament(population));
        c = walk.mutate(c, mutationRate);
        for (int i = 0; i < RETRIES && (measured.seen().contains(c) || !walk.contains(c)); i++) {
            c = walk.mutate(c, Math.min(1, mutationRate * (1 + i / 4.0)));
        }
        return measured.seen().contains(c) ? walk.randomUnseen(measured.seen()) : c;
    }

    private Config tournament(List<Config> population) {
        Config best = null;
        for (int i = 0; i < TOURNAMENT; i++) {
            Config c = population.get(random.nextInt(population.size()));
            if (best == null || measured.costs().get(c) < measured.costs().get(best)) {
                best = c;
            }
        }
        return best;
    }
}
