package callisto.fields;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.nn.MLP;
import callisto.nn.Module;
import callisto.nn.Scores;
import callisto.nn.Sequential;
import callisto.optim.Optimizers;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import org.junit.jupiter.api.Test;

/** The pieces together, small: fitting an image (the tutorial) and registering a synthetic pair (NIR's loop). */
class EndToEndTest {
    static double fit(Module m, Tensor xy, Tensor target, int steps, double lr) {
        var opt = Optimizers.adam(m.namedParameters(), lr);
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Scores.mse(m.call(xy), target).backward();
            opt.step();
        }
        return Scores.psnr(m.call(xy), target, 1.0).item();
    }

    @Test
    void encodedCoordinatesBeatARawReluMlpAtFittingAnImage() {
        int n = 24;
        Tensor image = Synthetic.phantom(new Generator(1), 1, n, n).to(DType.FLOAT32);
        Tensor xy = Grids.coordinates(n, n), target = image.reshape(n * n, 1);
        double relu = fit(MLP.builder(2, 32, 32, 1).generator(new Generator(0)).build(), xy, target, 150, 1e-3);
        var ff = FourierFeatures.gaussian(2, 32, 3.0, DType.FLOAT32, new Generator(0));
        double fourier = fit(new Sequential(ff, MLP.builder(ff.outFeatures(), 32, 1).generator(new Generator(0)).build()), xy, target, 150, 1e-3);
        double siren = fit(Siren.builder(2, 32, 2, 1).generator(new Generator(0)).build(), xy, target, 150, 1e-3);
        assertTrue(fourier > relu + 5 && siren > relu + 5, "PSNR relu " + relu + ", fourier " + fourier + ", siren " + siren);
    }

    @Test
    void aSirenDisplacementFieldRegistersASyntheticPair() {
        int h = 32;
        Tensor fixed = Synthetic.phantom(new Generator(2), 1, h, h);
        Tensor v = Synthetic.velocity(new Generator(3), 1, h, h, 2, 2.0);
        Tensor truth = Registration.integrate(v, 7);
        // moving = fixed ∘ exp(-v), so warping moving by exp(v) gives fixed back: truth is the answer
        Tensor moving = Registration.warp(fixed, Registration.integrate(v.neg(), 7));
        var field = Siren.builder(2, 32, 2, 2).dtype(DType.FLOAT64).generator(new Generator(0)).build();
        Tensor coords = Grids.coordinates(DType.FLOAT64, h, h);
        var opt = Optimizers.adam(field.namedParameters(), 1e-3);
        double before = Registration.endPointError(Tensor.zeros(DType.FLOAT64, 1, h, h, 2), truth).item();
        Tensor u = null;
        for (int s = 0; s <= 150; s++) {
            opt.zeroGrad();
            u = field.call(coords).mul(0.05).reshape(1, h, h, 2);
            if (s == 150) break;
            Tensor loss = Registration.localNcc(Registration.warp(moving, u), fixed, 5).neg().add(Registration.smoothness(u).mul(0.1));
            loss.backward();
            opt.step();
        }
        double after = Registration.endPointError(u, truth).item();
        assertTrue(after < 0.5 * before, "end-point error " + before + " -> " + after + " pixels");
        assertEquals(0, Registration.foldFraction(u), 0.01);
        assertTrue(Registration.localNcc(Registration.warp(moving, u), fixed, 5).item() > Registration.localNcc(moving, fixed, 5).item());
    }
}
