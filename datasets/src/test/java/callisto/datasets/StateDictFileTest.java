package callisto.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import callisto.nn.BatchNorm1d;
import callisto.nn.Linear;
import callisto.nn.Sequential;
import callisto.nn.Tanh;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's state dict through a .safetensors file (PyTorch's format for it) into a fresh model. */
class StateDictFileTest {
    static Sequential model(long seed) {
        var g = new Generator(seed);
        return new Sequential(new Linear(3, 8, true, DType.FLOAT32, g), new BatchNorm1d(8, 1e-5, 0.1, true, DType.FLOAT32),
                new Tanh(), new Linear(8, 2, true, DType.FLOAT32, g));
    }

    @Test
    void stateDictRoundTripsThroughSafetensors(@TempDir Path dir) throws Exception {
        var trained = model(1);
        trained.call(new Generator(5).randn(DType.FLOAT32, 16, 3)); // moves BatchNorm's running statistics
        trained.eval();
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, trained.stateDict());
        var fresh = model(2);
        fresh.loadStateDict(SafeTensors.read(file));
        fresh.eval();
        assertEquals(trained.stateDict().keySet(), SafeTensors.read(file).keySet());
        Tensor x = new Generator(9).randn(DType.FLOAT32, 4, 3);
        assertArrayEquals(trained.call(x).toFloatArray(), fresh.call(x).toFloatArray());
    }
}
