package io.clusterserving.torch;

import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.torch.build.TorchScriptArchiveWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/** Small TorchScript modules written by {@link TorchScriptArchiveWriter}, laid out as a repository version. */
final class TorchFixtures {
    /** y = x * 0.5 + 2 (TF Serving's half_plus_two); no parameters. */
    static final TorchScriptArchiveWriter HALF_PLUS_TWO = TorchScriptArchiveWriter.module("HalfPlusTwo")
            .forward("""
                    def forward(self,
                        x: Tensor) -> Tensor:
                      return torch.add(torch.mul(x, 0.5), 2.)""");

    /** Linear 3 -> 2: y = x W^T + b with W = [[1,2,3],[4,5,6]], b = [10, 20]. */
    static final TorchScriptArchiveWriter LINEAR = TorchScriptArchiveWriter.module("TinyLinear")
            .parameter("weight", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
            .parameter("bias", new long[] {2}, 10, 20)
            .forward("""
                    def forward(self,
                        x: Tensor) -> Tensor:
                      return torch.addmm(self.bias, x, torch.t(self.weight))""");

    /** Returns the tuple (x + 1, x * 2). */
    static final TorchScriptArchiveWriter PAIR = TorchScriptArchiveWriter.module("Pair")
            .forward("""
                    def forward(self,
                        x: Tensor) -> Tuple[Tensor, Tensor]:
                      return (torch.add(x, 1), torch.mul(x, 2))""");

    /** a * 2 - b: the order of the two inputs matters. */
    static final TorchScriptArchiveWriter TWO_INPUTS = TorchScriptArchiveWriter.module("TwoInputs")
            .forward("""
                    def forward(self,
                        a: Tensor,
                        b: Tensor) -> Tensor:
                      return torch.sub(torch.mul(a, 2), b)""");

    /** Returns its input unchanged, whatever its dtype. */
    static final TorchScriptArchiveWriter IDENTITY = TorchScriptArchiveWriter.module("Identity")
            .forward("""
                    def forward(self,
                        x: Tensor) -> Tensor:
                      return x""");

    private TorchFixtures() {
    }

    /** Writes {@code module} as {@code <base>/<model>/1/<file>} and returns the version directory. */
    static Path version(Path base, String model, String file, TorchScriptArchiveWriter module) throws IOException {
        Path dir = Files.createDirectories(base.resolve(model).resolve("1"));
        module.write(dir.resolve(file));
        return dir;
    }

    /** The torchscript format as the server finds it: through the ServiceLoader. */
    static ModelFormat format() {
        for (ModelFormat f : ServiceLoader.load(ModelFormat.class)) {
            if (f.name().equals(TorchFormat.NAME)) {
                return f;
            }
        }
        throw new AssertionError("no torchscript ModelFormat registered");
    }

    static LoadedModel load(Path base, String model, TorchScriptArchiveWriter module, Map<String, Object> options)
            throws Exception {
        Path dir = version(base, model, "model.pt", module);
        return format().load(ModelFiles.find(format(), dir), new LoadContext(model, 1, 1, 1, options));
    }
}
