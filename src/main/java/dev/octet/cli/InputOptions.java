package dev.octet.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that say what a model is run on, shared by `run` and `compare`. */
final class InputOptions {
    @Option(names = "--input", paramLabel = "[NAME=]SPEC",
            description = {"What an input gets: an image file (JPEG, PNG), a tensor file (.npy, .pb), 'random', or "
                    + "'text:WORDS' (the words rendered as a line of text). NAME= picks the input; without it the "
                    + "specs go to the inputs in order. Inputs without a spec get 'random'. Repeatable."})
    List<String> inputs = new ArrayList<>();

    @Option(names = "--shape", paramLabel = "[NAME=]D1,D2,...",
            description = {"The shape of an input, e.g. 1,3,48,320: fills the model's open dimensions and sets the "
                    + "size images are resized to. Repeatable, like --input."})
    List<String> shapes = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the random inputs (default: ${DEFAULT-VALUE}).")
    long seed;
}
