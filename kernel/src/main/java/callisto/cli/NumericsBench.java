package callisto.cli;

import callisto.fft.Complex;
import callisto.fft.FFT;
import callisto.tensor.Conv;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The numerics workloads of issue 6 beside bench/pytorch/numerics.py (same sizes, dtypes and timing): rfft
 * 1-D and 2-D, conv2d, an FNO-style spectral layer forward and backward, then the whole fno1d_burgers training.
 */
final class NumericsBench {
    private NumericsBench() {
    }

    static void run(PrintStream out) {
        var g = new Generator(0);
        Tensor x1 = g.randn(DType.FLOAT32, 64, 1024);
        out.println(BenchCommand.row("rfft 1-D, 64 × 1024, float32 (ms)", BenchCommand.perOp(() -> FFT.rfft(x1), 200), 1e3));
        Tensor x2 = g.randn(DType.FLOAT32, 8, 32, 64, 64);
        out.println(BenchCommand.row("rfft2, 8 × 32 × 64 × 64, float32 (ms)", BenchCommand.perOp(() -> FFT.rfft2(x2), 20), 1e3));
        Tensor w = g.randn(DType.FLOAT32, 32, 32, 3, 3).mul(0.05);
        out.println(BenchCommand.row("conv2d 8×32×64×64, 32→32, 3×3, forward, float32 (ms)",
                BenchCommand.perOp(() -> Conv.conv2d(x2, w, null, 1, 1, 1, 1), 10), 1e3));
        int b = 20, c = 64, n = 1024, m = 16;
        Tensor xs = g.randn(DType.FLOAT32, b, c, n);
        Tensor ws = g.randn(DType.FLOAT32, c, c, m, 2).div(c * c).requiresGrad(true);
        out.println(BenchCommand.row("spectral layer 1-D, 20×64×1024, 16 modes, forward+backward, float32 (ms)", BenchCommand.perOp(() -> {
            ws.zeroGrad();
            Tensor modes = Complex.einsum("bix,iox->box", FFT.lowModes(FFT.rfft(xs), m), ws);
            Tensor y = FFT.irfft(FFT.padModes(modes, n / 2 + 1), n);
            y.mul(y).sum().backward();
            return ws.grad();
        }, 10), 1e3));
        try {
            var r = Fno1dBurgersBench.run(25, 1);
            out.printf(Locale.ROOT, "fno1d_burgers: %.3f s/epoch over 25 epochs, test relative L2 %.4f, %d parameters%n",
                    r.secondsPerEpoch(), r.testRelL2(), r.params());
        } catch (IOException e) {
            out.println("fno1d_burgers: skipped, " + e.getMessage());
        }
    }
}
