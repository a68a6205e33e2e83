package callisto.engine;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeElement;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;

/**
 * Runs snippets in this JVM. On top of {@link LocalExecutionControl} (which makes snippet loops stoppable and
 * interrupts snippet threads on stop) it
 * <ul>
 *   <li>rewrites {@code System.exit}/{@code Runtime.exit}/{@code Runtime.halt} in snippet bytecode, so a cell
 *       cannot end the process;</li>
 *   <li>keeps the real object a snippet evaluated to (JShell only hands back its string), for rendering;</li>
 *   <li>keeps the real throwable a snippet threw, so the engine can tell exit, interrupt and errors apart.</li>
 * </ul>
 */
public class CallistoExecutionControl extends LocalExecutionControl {
    private static final ClassDesc CD_SYSTEM = ClassDesc.of("java.lang.System");
    private static final ClassDesc CD_RUNTIME = ClassDesc.of("java.lang.Runtime");
    private static final ClassDesc CD_SNIPPET_EXIT = ClassDesc.of(SnippetExit.class.getName());
    private static final MethodTypeDesc MTD_INT_VOID = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int);
    private static final MethodTypeDesc MTD_RUNTIME_INT_VOID =
            MethodTypeDesc.of(ConstantDescs.CD_void, CD_RUNTIME, ConstantDescs.CD_int);

    /** Hands the real snippet method to the snippet thread, which LocalExecutionControl creates per call. */
    private static final InheritableThreadLocal<Invocation> INVOCATION = new InheritableThreadLocal<>();
    private static final Method TRAMPOLINE;

    static {
        try {
            TRAMPOLINE = CallistoExecutionControl.class.getDeclaredMethod("trampoline");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Invocation last;
    private final boolean valueStrings;

    /**
     * @param parent       the class loader snippets see the stdlib through
     * @param valueStrings whether JShell gets each value's string (the jshell tool prints it); the engine
     *                     renders the object itself, so it passes false and {@code toString} runs once, not twice
     */
    public CallistoExecutionControl(ClassLoader parent, boolean valueStrings) {
        super(parent);
        this.valueStrings = valueStrings;
    }

    @Override
    public void load(ClassBytecodes[] cbcs)
            throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.load(Arrays.stream(cbcs)
                .map(c -> new ClassBytecodes(c.name(), rewriteExits(c.bytecodes())))
                .toArray(ClassBytecodes[]::new));
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        var invocation = new Invocation(doitMethod);
        last = invocation;
        invocation.valueStrings = valueStrings;
        INVOCATION.set(invocation);
        try {
            return super.invoke(TRAMPOLINE);
        } finally {
            INVOCATION.remove();
        }
    }

    @Override
    protected String throwConvertedInvocationException(Throwable cause)
            throws ExecutionControl.RunException, ExecutionControl.InternalException {
        Invocation invocation = last;
        if (invocation != null) invocation.thrown = cause;
        return super.throwConvertedInvocationException(cause);
    }

    /** Clears what the previous snippet left; call before each eval. */
    void resetLast() {
        last = null;
    }

    /** The value the last snippet invocation returned, or null. */
    Object lastValue() {
        Invocation i = last;
        return i == null ? null : i.result;
    }

    /** The throwable the last snippet invocation threw, or null. */
    Throwable lastThrown() {
        Invocation i = last;
        return i == null ? null : i.thrown;
    }

    /** Runs on the snippet thread in place of the snippet's {@code do_it$}, keeping its result. */
    public static Object trampoline() throws Throwable {
        Invocation invocation = INVOCATION.get();
        try {
            invocation.result = invocation.method.invoke(null);
            return invocation.valueStrings ? invocation.result : null;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static byte[] rewriteExits(byte[] classBytes) {
        ClassFile cf = ClassFile.of();
        return cf.transformClass(cf.parse(classBytes), ClassTransform.transformingMethodBodies((code, element) -> {
            if (!rewrite(code, element)) code.with(element);
        }));
    }

    private static boolean rewrite(java.lang.classfile.CodeBuilder code, CodeElement element) {
        if (element instanceof InvokeDynamicInstruction indy) { // System::exit as a lambda's target
            var args = new ArrayList<ConstantDesc>(indy.bootstrapArgs());
            boolean changed = false;
            for (int i = 0; i < args.size(); i++) {
                ConstantDesc redirected = redirect(args.get(i));
                changed |= redirected != args.get(i);
                args.set(i, redirected);
            }
            if (!changed) return false;
            code.invokedynamic(DynamicCallSiteDesc.of(indy.bootstrapMethod(), indy.name().stringValue(),
                    indy.typeSymbol(), args.toArray(ConstantDesc[]::new)));
            return true;
        }
        if (element instanceof ConstantInstruction.LoadConstantInstruction ldc) { // a MethodHandle constant
            ConstantDesc value = ldc.constantValue();
            ConstantDesc redirected = redirect(value);
            if (redirected == value) return false;
            code.ldc(redirected);
            return true;
        }
        if (!(element instanceof InvokeInstruction call)) return false;
        ClassDesc owner = call.owner().asSymbol();
        String name = call.name().stringValue();
        MethodTypeDesc type = call.typeSymbol();
        if (owner.equals(CD_SYSTEM) && name.equals("exit") && type.equals(MTD_INT_VOID)) {
            code.invokestatic(CD_SNIPPET_EXIT, "exit", MTD_INT_VOID);
            return true;
        }
        if (owner.equals(CD_RUNTIME) && (name.equals("exit") || name.equals("halt")) && type.equals(MTD_INT_VOID)) {
            code.invokestatic(CD_SNIPPET_EXIT, name, MTD_RUNTIME_INT_VOID);
            return true;
        }
        return false;
    }

    /** A method handle to an exit method, pointed at the SnippetExit twin instead; anything else unchanged. */
    private static ConstantDesc redirect(ConstantDesc c) {
        if (!(c instanceof DirectMethodHandleDesc h)) return c;
        if (h.kind() == DirectMethodHandleDesc.Kind.STATIC && h.owner().equals(CD_SYSTEM)
                && h.methodName().equals("exit") && h.invocationType().equals(MTD_INT_VOID)) {
            return MethodHandleDesc.ofMethod(DirectMethodHandleDesc.Kind.STATIC, CD_SNIPPET_EXIT, "exit", MTD_INT_VOID);
        }
        if (h.kind() == DirectMethodHandleDesc.Kind.VIRTUAL && h.owner().equals(CD_RUNTIME)
                && (h.methodName().equals("exit") || h.methodName().equals("halt"))
                && h.lookupDescriptor().equals(MTD_INT_VOID.descriptorString())) {
            return MethodHandleDesc.ofMethod(DirectMethodHandleDesc.Kind.STATIC, CD_SNIPPET_EXIT, h.methodName(),
                    MTD_RUNTIME_INT_VOID);
        }
        return c;
    }

    private static final class Invocation {
        final Method method;
        volatile Object result;
        volatile Throwable thrown;
        volatile boolean valueStrings;

        Invocation(Method method) {
            this.method = method;
        }
    }
}
