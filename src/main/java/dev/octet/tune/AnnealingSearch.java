package dev.octet.tune;

import dev.octet.kernel.Config;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Finds configurations a cost model scores high without scoring the whole space: parallel simulated-annealing
 * chains of one-knob moves (AutoTVM's SimulatedAnnealingOptimizer), started from the best measured points and from
 * random ones, cooling linearly. Every point visited is scored once; the best unseen ones are returned.
 */
final class AnnealingSearch {
    private static final int CHAINS = 32;
    private static final int STEPS = 150;
    private static final double START_TEMPERATURE = 0.3;

    private AnnealingSearch() {
    }

    /**
     * @param score higher is better (the model's prediction)
     * @param starts points to start chains from (the best measured), topped up with random points
     * @param seen points never to return (measured or already proposed)
     * @return up to k unseen points, best first
     */
    static List<Config> top(SpaceWalk walk, ToDoubleFunction<Config> score, List<Config> starts, Set<Config> seen,
            int k, Random random) {
        Map<Config, Double> scored = new HashMap<>();
        ToDoubleFunction<Config> cached = c -> scored.computeIfAbsent(c, score::applyAsDouble);
        List<Config> chains = new ArrayList<>(starts.subList(0, Math.min(starts.size(), CHAINS / 2)));
        while (chains.size() < CHAINS) {
            chains.add(walk.random());
        }
        for (int step = 0; step < STEPS; step++) {
            double t = START_TEMPERATURE * (1 - step / (double) STEPS);
            for (int i = 0; i < chains.size(); i++) {
                Config now = chains.get(i);
                Config next = walk.neighbour(now);
                double delta = cached.applyAsDouble(next) - cached.applyAsDouble(now);
                if (delta >= 0 || (t > 0 && random.nextDouble() < Math.exp(delta / t))) {
                    chains.set(i, next);
                }
            }
        }
        return scored.entrySet().stream().filter(e -> !seen.contains(e.getKey()))
                .sorted(Map.Entry.<Config, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(e -> e.getKey().toString()))
                .limit(k).map(Map.Entry::getKey).toList();
    }
}
