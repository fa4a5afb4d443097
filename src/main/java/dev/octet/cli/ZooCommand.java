package dev.octet.cli;

import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.zoo.Zoo;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet zoo NAME -o FILE`: writes a standard architecture with fixed-seed random weights as an ONNX file. */
@Command(name = "zoo", mixinStandardHelpOptions = true,
        description = "Writes a standard architecture (random fixed-seed weights) as an ONNX model.")
final class ZooCommand implements Runnable {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "The architecture: resnet50, vgg16, inceptionv3 or mobilenetv2.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The ONNX file to write.")
    Path output;

    @Option(names = "--list", description = "Lists the architectures and exits.")
    boolean list;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random weights (default: ${DEFAULT-VALUE}).")
    long seed = Zoo.DEFAULT_SEED;

    @Override
    public void run() {
        if (list) {
            for (Zoo.Entry e : Zoo.entries()) {
                System.out.printf("%-12s %,13d params  %s%n", e.name(), e.parameters(), e.description());
            }
            return;
        }
        if (name == null) {
            throw new OctetException("name a model (" + String.join(", ", Zoo.names()) + ") or give --list");
        }
        Zoo.Entry entry = Zoo.get(name);
        if (output == null) {
            throw new OctetException("give the file to write with -o FILE");
        }
        Model model = entry.build(seed);
        OnnxWriter.write(model, output);
        System.out.printf("wrote %s: %s, %,d parameters, %d nodes, seed %d%n", output, entry.description(),
                Long.parseLong(model.metadata().get("parameters")), model.graph().nodes().size(), seed);
    }
}
