package io.clusterserving.torch.build;

/**
 * Small TorchScript modules for examples, docs and tests of other modules (the distribution's smoke tests
 * serve them without Python).
 */
public final class ExampleTorchModels {
    private ExampleTorchModels() {
    }

    /** y = x * 0.5 + 2 (TF Serving's half_plus_two), any shape, FP32; no parameters. */
    public static TorchScriptArchiveWriter halfPlusTwo() {
        return TorchScriptArchiveWriter.module("HalfPlusTwo")
                .forward("""
                        def forward(self,
                            x: Tensor) -> Tensor:
                          return torch.add(torch.mul(x, 0.5), 2.)""");
    }
}
