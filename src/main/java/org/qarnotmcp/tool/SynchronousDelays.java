package org.qarnotmcp.tool;

import java.util.List;
import org.apache.camel.model.DelayDefinition;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;

/**
 * Makes a route's {@code delay} pause the call's own thread. Camel's default ({@code asyncDelayed: true}) hands the
 * rest of the route to its shared "Delay" scheduler, a pool of 10 platform threads: after its first pause every
 * {@code wait_for_task} would make its Qarnot calls on those 10 threads, one at a time each. Sleeping in place costs
 * nothing on a virtual thread (it parks) and keeps a call on one thread from start to end. A route that sets
 * {@code asyncDelayed} itself keeps its choice.
 */
public final class SynchronousDelays implements ModelLifecycleStrategy {

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        apply(route.getOutputs());
    }

    private static void apply(List<ProcessorDefinition<?>> outputs) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof DelayDefinition delay && delay.getAsyncDelayed() == null) {
                delay.setAsyncDelayed("false");
            }
            apply(output.getOutputs());
        }
    }

    @Override
    public void onRemoveRouteDefinition(RouteDefinition route) {
    }

    @Override
    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
    }

    @Override
    public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
    }
}
