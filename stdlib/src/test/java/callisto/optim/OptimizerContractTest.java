package callisto.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One contract over all optimizers (optax's alias_test): from a fixed start each reaches a small loss on a 10-D
 * quadratic with condition number 100 and on the 2-D Rosenbrock function within a stated step budget. The
 * learning rates are per optimizer (the problems' scales differ), the budgets and targets are common.
 */
class OptimizerContractTest {
    static final int QUAD_STEPS = 2000;
    static final double QUAD_TARGET = 1e-6; // relative to the start's loss
    static final int ROSEN_STEPS = 10000;
    static final double ROSEN_TARGET = 1e-2; // distance of (x, y) from the minimum (1, 1)

    static final double[] LAMBDA = new double[10];

    static {
        for (int i = 0; i < 10; i++) LAMBDA[i] = Math.pow(10, 2.0 * i / 9);
    }

    static Tensor quadratic(Tensor x) {
        return Tensor.of(LAMBDA).mul(x).mul(x).sum().mul(0.5);
    }

    static Tensor rosenbrock(Tensor p) {
        Tensor x = p.narrow(0, 0, 1), y = p.narrow(0, 1, 1);
        Tensor a = x.rsub(1);
        Tensor b = y.sub(x.mul(x));
        return a.mul(a).add(b.mul(b).mul(100)).sum();
    }

    /** An optimizer for each problem and the step budget it is given on Rosenbrock. */
    record Case(String name, Function<Map<String, Tensor>, Optimizer> quad, Function<Map<String, Tensor>, Optimizer> rosen,
            int rosenSteps) {
        Case(String name, Function<Map<String, Tensor>, Optimizer> quad, Function<Map<String, Tensor>, Optimizer> rosen) {
            this(name, quad, rosen, ROSEN_STEPS);
        }
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        // Plain gradient descent crawls along Rosenbrock's valley: it gets a larger budget.
        cs.add(new Case("sgd", p -> Optimizers.sgd(p, 4.6e-3), p -> Optimizers.sgd(p, 1e-3), 40000));
        cs.add(new Case("sgd nesterov", p -> Optimizers.sgd(p, 1e-3, 0.9, 0, true, 0), p -> Optimizers.sgd(p, 4.6e-4, 0.9, 0, true, 0)));
        cs.add(new Case("adam", p -> Optimizers.adam(p, 1e-2), p -> Optimizers.adam(p, 4.6e-3)));
        cs.add(new Case("adam cosine", p -> Optimizers.adam(p, Schedule.cosine(0.05, QUAD_STEPS, 0)),
                p -> Optimizers.adam(p, Schedule.cosine(0.05, ROSEN_STEPS, 0))));
        cs.add(new Case("amsgrad", p -> Optimizers.amsgrad(p, 4.6e-2), p -> Optimizers.amsgrad(p, 4.6e-2)));
        cs.add(new Case("adamW", p -> Optimizers.adamW(p, 1e-2, 0), p -> Optimizers.adamW(p, 4.6e-3, 0)));
        cs.add(new Case("adamax", p -> Optimizers.adamax(p, 4.6e-3), p -> Optimizers.adamax(p, 4.6e-3)));
        cs.add(new Case("nadam", p -> Optimizers.nadam(p, 4.6e-3), p -> Optimizers.nadam(p, 2.2e-3)));
        cs.add(new Case("radam", p -> Optimizers.radam(p, 4.6e-3), p -> Optimizers.radam(p, 4.6e-3)));
        cs.add(new Case("adagrad", p -> Optimizers.adagrad(p, 0.46), p -> Optimizers.adagrad(p, 0.46)));
        cs.add(new Case("adadelta", p -> Optimizers.adadelta(p, 0.1), p -> Optimizers.adadelta(p, 0.046)));
        cs.add(new Case("rmsprop", p -> Optimizers.rmsprop(p, 1e-3), p -> Optimizers.rmsprop(p, 1e-3)));
        cs.add(new Case("rprop", p -> Optimizers.rprop(p, 1e-2), p -> Optimizers.rprop(p, 1e-2)));
        cs.add(new Case("lion", p -> Optimizers.lion(p, 1e-3), p -> Optimizers.lion(p, 1e-3)));
        cs.add(new Case("lamb", p -> Optimizers.lamb(p, 4.6e-3), 
                p -> Optimizers.lamb(p, Schedule.cosine(1e-2, ROSEN_STEPS, 0), 0.9, 0.999, 1e-6, 0, n -> true)));
        cs.add(new Case("lars", p -> Optimizers.lars(p, 1.0), p -> Optimizers.lars(p, 0.22)));
        cs.add(new Case("yogi", p -> Optimizers.yogi(p, 4.6e-2), p -> Optimizers.yogi(p, 4.6e-2)));
        cs.add(new Case("adaBelief", p -> Optimizers.adaBelief(p, 2.2e-3), p -> Optimizers.adaBelief(p, 2.2e-3)));
        // Sign and trust-ratio steps do not shrink near the minimum: a decaying schedule lets them settle (LAMB below too).
        cs.add(new Case("signSgd", p -> Optimizers.signSgd(p, 1e-3), p -> Optimizers.signSgd(p, Schedule.cosine(2e-3, 40000, 0)), 40000));
        cs.add(new Case("lookahead", p -> Optimizers.lookahead(Optimizers.adam(p, 4.6e-3), 5, 0.5),
                p -> Optimizers.lookahead(Optimizers.adam(p, 4.6e-3), 5, 0.5)));
        // SAM's fixed point is shifted by about rho from the minimum.
        cs.add(new Case("sam", p -> Optimizers.sam(p, Transforms.scaleByLearningRate(2.2e-3), 0.01),
                p -> Optimizers.sam(p, Transforms.chain(Transforms.trace(0.9, 0, true), Transforms.scaleByLearningRate(4.6e-4)), 1e-3)));
        // Adafactor's relative step is capped by 1/sqrt(t) and DoG's by the growing sum of squared gradient norms:
        // both creep along Rosenbrock's valley and get the larger budget.
        cs.add(new Case("adafactor", p -> Optimizers.adafactor(p, 0.1), p -> Optimizers.adafactor(p, 4.6e-3), 40000));
        cs.add(new Case("scheduleFreeSgd", p -> Optimizers.scheduleFreeSgd(p, 0.1, 0.9, 0, 0),
                p -> Optimizers.scheduleFreeSgd(p, 4.6e-4, 0.9, 0, 0)));
        cs.add(new Case("scheduleFreeAdamW", p -> Optimizers.scheduleFreeAdamW(p, 0.05), p -> Optimizers.scheduleFreeAdamW(p, 0.01)));
        cs.add(new Case("dog", p -> Optimizers.dog(p), p -> Optimizers.dog(p), 40000));
        cs.add(new Case("polyakSgd", p -> Optimizers.polyakSgd(p), p -> Optimizers.polyakSgd(p)));
        cs.add(new Case("fadam", p -> Optimizers.fadam(p, 1e-2), p -> Optimizers.fadam(p, 4.6e-3)));
        // GAM penalises the gradient norm, a cone at the minimum: small radii keep its chatter below the targets.
        cs.add(new Case("gam", p -> Optimizers.gam(p, Transforms.chain(Transforms.trace(0.9, 0, true), Transforms.scaleByLearningRate(1.15e-3)),
                1e-3, 1e-3, 0.5),
                p -> Optimizers.gam(p, Transforms.chain(Transforms.trace(0.9, 0, true), Transforms.scaleByLearningRate(4.6e-4)), 1e-4, 1e-4,
                        0.5)));
        return cs;
    }

    static double run(Optimizer opt, Tensor x, Function<Tensor, Tensor> f, int steps) {
        Supplier<Tensor> closure = () -> {
            opt.zeroGrad();
            Tensor l = f.apply(x);
            l.backward();
            return l;
        };
        for (int s = 0; s < steps; s++) opt.step(closure);
        return f.apply(x.detach()).item();
    }

    @TestFactory
    List<DynamicTest> convergesOnQuadraticAndRosenbrock() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Tensor x = Tensor.ones(10).to(callisto.tensor.DType.FLOAT64).requiresGrad(true);
                Map<String, Tensor> pq = new LinkedHashMap<>();
                pq.put("x", x);
                double f0 = quadratic(x.detach()).item();
                double fq = run(c.quad().apply(pq), x, OptimizerContractTest::quadratic, QUAD_STEPS);
                Tensor r = Tensor.of(-1.2, 1.0).requiresGrad(true);
                Map<String, Tensor> pr = new LinkedHashMap<>();
                pr.put("xy", r);
                run(c.rosen().apply(pr), r, OptimizerContractTest::rosenbrock, c.rosenSteps());
                double[] xy = r.toArray();
                double dist = Math.hypot(xy[0] - 1, xy[1] - 1);
                System.out.printf("CONTRACT %-14s quad %.3e  rosen dist %.3e%n", c.name(), fq / f0, dist);
                assertTrue(fq / f0 <= QUAD_TARGET, c.name() + ": quadratic loss ratio " + fq / f0 + " after " + QUAD_STEPS + " steps");
                assertTrue(dist <= ROSEN_TARGET, c.name() + ": Rosenbrock distance " + dist + " after " + c.rosenSteps() + " steps");
            }));
        }
        return tests;
    }
}
