/**
 * Plans: the plain-data programs that berth's Java side compiles and the native executor
 * ({@code executor/src/main/c/executor.c}) carries out, one {@link berth.runtime.plan.Op} at a time.
 * {@link berth.runtime.plan.PlanCompiler} turns a validated {@link berth.runtime.spec.Spec} into the plan for
 * creating a container, joining one ({@code exec}) or running a hook inside one. Every decision is made here;
 * the executor only executes, and reports the first failure as (operation index, errno).
 */
package berth.runtime.plan;
