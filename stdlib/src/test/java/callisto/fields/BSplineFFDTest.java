package callisto.fields;

import static callisto.fields.FieldsTesting.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.optim.Lbfgs;
import callisto.tensor.DType;
import callisto.tensor.GradCheck;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.LinkedHashMap;

import org.junit.jupiter.api.Test;

class BSplineFFDTest {
    static final DType F64 = DType.FLOAT64;

    @Test
    void weightsAreAPartitionOfUnityWithFourSupportingPoints() {
        Tensor x = new Generator(3).uniform(-1, 1, 200).to(F64);
        x = Tensor.cat(java.util.List.of(x, Tensor.of(-1.0, 1.0, 0.0)), 0); // the ends and a knot
        for (int n : new int[] {4, 5, 9}) {
            double[] w = BSplineFFD.weights(x, n).toArray(), xs = x.toArray();
            for (int i = 0; i < x.size(0); i++) {
                double sum = 0;
                int support = 0;
                for (int j = 0; j < n; j++) {
                    double v = w[i * n + j];
                    assertTrue(v >= -1e-15, "weights are non-negative, got " + v);
                    if (v > 1e-15) support++;
                    sum += v;
                }
                assertEquals(1, sum, 1e-12, "weights at x = " + xs[i] + " with " + n + " control points");
                assertTrue(support <= 4, "a cubic B-spline point has at most 4 supporting controls, got " + support);
            }
        }
    }

    @Test
    void controlValuesOnAnAffineMapReproduceItExactly() {
        int ch = 6, cw = 7, h = 11, w = 13;
        var ffd = new BSplineFFD(ch, cw, F64);
        double[][] a = {{0.3, -0.2}, {0.15, 0.4}};
        double[] t = {0.05, -0.1};
        double dx = 2.0 / (cw - 3), dy = 2.0 / (ch - 3);
        double[] c = new double[ch * cw * 2];
        for (int i = 0; i < ch; i++) {
            for (int j = 0; j < cw; j++) {
                double px = -1 + (j - 1) * dx, py = -1 + (i - 1) * dy; // where control (i, j) sits
                for (int k = 0; k < 2; k++) c[(i * cw + j) * 2 + k] = a[k][0] * px + a[k][1] * py + t[k];
            }
        }
        ffd.control().detach().copy_(Tensor.of(c, ch, cw, 2));
        Tensor xy = Grids.coordinates(F64, h, w);
        double[] p = xy.toArray(), expected = new double[h * w * 2];
        for (int q = 0; q < h * w; q++) {
            for (int k = 0; k < 2; k++) expected[q * 2 + k] = a[k][0] * p[q * 2] + a[k][1] * p[q * 2 + 1] + t[k];
        }
        assertArrayEquals(expected, ffd.displacement(h, w).toArray(), 1e-12);
        assertArrayEquals(expected, ffd.forward(xy).toArray(), 1e-12);
        Tensor off = new Generator(5).uniform(-1, 1, 17, 2).to(F64); // off-grid points too
        double[] o = off.toArray(), at = ffd.forward(off).toArray();
        for (int q = 0; q < 17; q++) {
            for (int k = 0; k < 2; k++) assertEquals(a[k][0] * o[q * 2] + a[k][1] * o[q * 2 + 1] + t[k], at[q * 2 + k], 1e-12);
        }
    }

    @Test
    void gridEvaluationIsPointEvaluationAtThePixelCentres() {
        var ffd = new BSplineFFD(5, 6, F64);
        ffd.control().detach().copy_(new Generator(8).randn(5, 6, 2).to(F64));
        assertTrue(maxAbsDiff(ffd.forward(Grids.coordinates(F64, 7, 9)).toArray(), ffd.displacement(7, 9).toArray()) < 1e-12);
        assertArrayEquals(new int[] {1, 7, 9, 2}, ffd.displacement(7, 9).shape());
    }

    @Test
    void gradcheckInControlPointsAndCoordinates() {
        var g = new Generator(11);
        var ffd = new BSplineFFD(4, 5, F64);
        Tensor control = g.randn(4, 5, 2).to(F64);
        Tensor coords = g.uniform(-0.95, 0.95, 3, 2).to(F64);
        GradCheck.gradcheck(xs -> {
            var m = new LinkedHashMap<String, Tensor>();
            m.put("control", xs[0]);
            return ffd.functionalCall(m, xs[1]);
        }, control, coords);
        GradCheck.gradgradcheck(xs -> {
            var m = new LinkedHashMap<String, Tensor>();
            m.put("control", xs[0]);
            return ffd.functionalCall(m, xs[1]);
        }, control, coords);
        GradCheck.gradcheck(xs -> BSplineFFD.onGrid(xs[0], 3, 4), control); // the grid evaluation
    }

    @Test
    void lbfgsRecoversAKnownSmoothDeformation() {
        int n = 32;
        Tensor moving = Synthetic.phantom(new Generator(21), 1, n, n);
        Tensor truth = Synthetic.velocity(new Generator(22), 1, n, n, 1, 1.5); // a gentle bend, 1.5 px at most
        Tensor fixed = Registration.warp(moving, truth); // fixed(p) = moving(p + truth(p)): truth registers moving to fixed
        var ffd = BSplineFFD.withSpacing(n, n, 4, F64);
        var lbfgs = new Lbfgs(ffd.namedParameters(), Lbfgs.Options.defaults().withStrongWolfe(true).withMaxIter(200));
        lbfgs.step(() -> {
            ffd.zeroGrad();
            Tensor u = ffd.displacement(n, n);
            Tensor diff = Registration.warp(moving, u).sub(fixed);
            Tensor loss = diff.mul(diff).mean().add(Registration.smoothness(u).mul(1e-4));
            loss.backward();
            return loss;
        });
        // judged where the image has structure: the background is black, so any displacement fits it there
        Tensor head = fixed.gt(0.05).to(F64).reshape(1, n, n);
        double before = maskedEpe(Tensor.zeros(F64, 1, n, n, 2), truth, head), after = maskedEpe(ffd.displacement(n, n).detach(), truth, head);
        assertTrue(after < 0.2 * before, "end-point error in the head went from " + before + " to " + after + " px");
        assertTrue(Registration.foldFraction(ffd.displacement(n, n).detach()) == 0, "no folds");
    }

    static double maskedEpe(Tensor u, Tensor truth, Tensor mask) {
        Tensor d = Registration.toPixels(u.sub(truth));
        return d.mul(d).sum(-1, false).sqrt().mul(mask).sum().item() / mask.sum().item();
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BSplineFFD(3, 5, F64));
        assertTrue(e.getMessage().contains("3 x 5"), e.getMessage());
        var ffd = new BSplineFFD(4, 4, F64);
        e = assertThrows(IllegalArgumentException.class, () -> ffd.forward(Tensor.zeros(F64, 3, 3)));
        assertTrue(e.getMessage().contains("[3, 3]"), e.getMessage());
        assertEquals(4 + 3, BSplineFFD.withSpacing(33, 9, 8, F64).controlH()); // (33 − 1)/8 = 4 intervals
        assertEquals(1 + 3, BSplineFFD.withSpacing(33, 9, 8, F64).controlW());
    }
}
