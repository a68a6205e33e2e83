package callisto.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReluTest {
    @Test
    void valuesInEveryDtypeNaNKeptAndTheVectorTailAgrees() {
        // 37 values: the vector loop and the tail both run, for float and double lanes
        double[] x = new double[37];
        for (int i = 0; i < x.length; i++) x[i] = (i - 18) * 0.25;
        x[5] = Double.NaN;
        x[6] = -0.0;
        double[] want = new double[x.length];
        for (int i = 0; i < x.length; i++) want[i] = Double.isNaN(x[i]) ? Double.NaN : x[i] > 0 ? x[i] : 0;
        assertArrayEquals(want, Tensor.of(x).relu().toArray(), 0.0);
        assertArrayEquals(want, Tensor.of(x).to(DType.FLOAT32).relu().toArray(), 0.0);
        assertEquals(DType.FLOAT32, Tensor.of(x).to(DType.FLOAT32).relu().dtype());
        assertEquals(0L, Double.doubleToRawLongBits(Tensor.of(-0.0).relu().toArray()[0]), "relu(-0) is +0");
        assertArrayEquals(new long[] {0, 0, 3}, Tensor.ofLongs(-2, 0, 3).relu().toLongArray());
    }

    @Test
    void gradientIsTheStepWithZeroAtZeroAndKeepsTheDtype() {
        Tensor x = Tensor.of(-1.5, 0.0, 2.0, 3.0).to(DType.FLOAT32).requiresGrad(true);
        x.relu().mul(Tensor.of(1.0, 2.0, 3.0, 4.0).to(DType.FLOAT32)).sum().backward();
        assertArrayEquals(new double[] {0, 0, 3, 4}, x.grad().toArray(), 0.0);
        assertEquals(DType.FLOAT32, x.grad().dtype());
    }

    @Test
    void finiteDifferencesFirstAndSecondOrder() {
        // away from the kink at 0, where central differences are meaningless
        Tensor x = Tensor.of(-1.3, -0.4, 0.7, 1.9, -2.2, 0.35).reshape(2, 3);
        Tensor w = Tensor.of(0.5, -1.0, 2.0, 1.5, -0.25, 3.0).reshape(2, 3);
        GradCheck.gradcheck(in -> in[0].relu().mul(in[1]).sum(), x, w);
        GradCheck.gradgradcheck(in -> in[0].relu().mul(in[0]).mul(in[1]).sum(), x, w); // x·relu(x): second derivative 2 or 0
        // the VJP's own VJP: d/dg of reluGrad is the step again
        Tensor xr = x.detach().requiresGrad(true);
        Tensor g = Autograd.grad(xr.relu().pow(2).sum(), xr, true);
        Tensor h = Autograd.grad(g.sum(), xr, false);
        double[] xv = x.toArray(), hv = h.toArray();
        for (int i = 0; i < xv.length; i++) assertEquals(xv[i] > 0 ? 2 : 0, hv[i], 1e-12, "x = " + xv[i]);
        assertTrue(h.dtype() == DType.FLOAT64);
    }
}
