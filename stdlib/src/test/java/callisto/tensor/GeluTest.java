package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fused GELU and its fused VJP against the definition x Φ(x), to first, second and third order. */
class GeluTest {
    static double phi(double x) {
        return 0.5 * (1 + Kernels.erf(x / Math.sqrt(2)));
    }

    @Test
    void valuesMatchTheDefinitionInBothDtypes() {
        double[] x = new double[2001];
        for (int i = 0; i < x.length; i++) x[i] = -10 + 0.01 * i + 1e-3 * Math.sin(i);
        double[] got = Tensor.of(x).gelu().toArray();
        float[] got32 = Tensor.of(x).to(DType.FLOAT32).gelu().toFloatArray();
        for (int i = 0; i < x.length; i++) {
            double want = x[i] * phi(x[i]);
            assertEquals(want, got[i], 1e-15 * Math.max(1, Math.abs(want)), "gelu(" + x[i] + ")");
            double want32 = (float) x[i] * phi((float) x[i]);
            // float32 forms 1 + erf, which cancels for x << 0 (as PyTorch's float kernel does): an absolute ulp of 1 times |x|
            assertEquals(want32, got32[i], 4e-7 * Math.abs(want32) + 1.2e-7 * Math.abs(x[i]), "float32 gelu(" + x[i] + ")");
        }
    }

    @Test
    void gradientsOfEveryOrder() {
        Tensor x = Tensor.of(-2.5, -0.7, -0.1, 0.0, 0.3, 1.1, 3.2);
        GradCheck.gradcheck(in -> in[0].gelu().sum(), x);
        GradCheck.gradgradcheck(in -> in[0].gelu().mul(in[0]).sum(), x);
        // the derivative is Φ + x φ, the second 2φ − x² φ; the third differentiates the fused VJP's own VJP
        Tensor xs = x.detach().requiresGrad(true);
        Tensor d1 = Autograd.grad(xs.gelu().sum(), xs, true);
        Tensor d2 = Autograd.grad(d1.sum(), xs, true);
        Tensor d3 = Autograd.grad(d2.sum(), xs, false);
        for (int i = 0; i < x.numel(); i++) {
            double v = x.get(i), pdf = Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
            assertEquals(phi(v) + v * pdf, d1.get(i), 1e-14);
            assertEquals(pdf * (2 - v * v), d2.get(i), 1e-14);
            assertEquals(pdf * (v * v * v - 4 * v), d3.get(i), 1e-13, "third derivative at " + v);
        }
        Tensor x32 = x.to(DType.FLOAT32).requiresGrad(true);
        Tensor g32 = Autograd.grad(x32.gelu().sum(), x32, false);
        assertEquals(DType.FLOAT32, g32.dtype());
        for (int i = 0; i < x.numel(); i++) assertEquals(d1.get(i), g32.get(i), 1e-6);
        assertTrue(Tensor.ofInts(1, 2).gelu().dtype().isFloatingPoint());
    }
}
