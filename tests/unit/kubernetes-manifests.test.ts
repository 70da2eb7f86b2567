/**
 * deploy/kubernetes against the Kubernetes API schemas (kubernetes-models: validators
 * generated from the Kubernetes OpenAPI document, shipped in the package, no network),
 * and against each other: probes on the right paths and port, selectors that select, the
 * config a replica mounts is a valid c360.yaml once the Secret's variables are set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parseConfigText } from '../../src/config/load.js';
import { projectRoot } from '../../src/gateway/project.js';

const DIR = join(projectRoot(), 'deploy', 'kubernetes');
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 Service': Service,
};

function manifests(): Manifest[] {
  return readdirSync(DIR)
    .filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')
    .flatMap((name) => parseAllDocuments(readFileSync(join(DIR, name), 'utf8')).map((doc) => doc.toJS() as Manifest));
}

const one = <T>(kind: string): T => manifests().find((m) => m.kind === kind) as unknown as T;

describe('the Kubernetes manifests', () => {
  it('are each valid against the schema of their kind and apiVersion', () => {
    const all = manifests();
    expect(all.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Secret', 'Service']);
    for (const manifest of all) {
      const Model = MODELS[`${manifest.apiVersion} ${manifest.kind}`];
      expect(Model).toBeDefined();
      expect(() => new Model!(manifest as never).validate()).not.toThrow();
    }
  });

  it('would catch a wrong manifest (the validation is not vacuous)', () => {
    const deployment = structuredClone(one<Manifest>('Deployment')) as unknown as {
      spec: { template: { spec: { containers: Array<{ ports: Array<{ containerPort: unknown }> }> } } };
    };
    deployment.spec.template.spec.containers[0]!.ports[0]!.containerPort = 'four thousand';
    expect(() => new Deployment(deployment as never).validate()).toThrow(/containerPort/);
  });

  it('lists every manifest in the kustomization', () => {
    const listed = (parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as { resources: string[] }).resources;
    expect(listed.sort()).toEqual(
      readdirSync(DIR)
        .filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')
        .sort(),
    );
  });

  it('probe readiness on /ready and liveness on /health, on the port c360 listens on', () => {
    const deployment = one<Deployment>('Deployment');
    const container = deployment.spec!.template.spec!.containers[0]!;
    expect(container.readinessProbe?.httpGet?.path).toMatch(/^\/ready(\?|$)/);
    expect(container.livenessProbe?.httpGet?.path).toBe('/health');
    const port = container.ports!.find((p) => p.name === container.readinessProbe?.httpGet?.port)!;
    const config = parseConfigText(one<ConfigMap>('ConfigMap').data!['c360.yaml']!, secretEnv());
    expect(port.containerPort).toBe(config.server.port);
    expect(config.server.host).toBe('0.0.0.0');
    expect(container.args).toEqual(['serve', '--config', `${container.volumeMounts![0]!.mountPath}/c360.yaml`]);
    expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  });

  it('give the pod time to drain: the grace period covers the drain delay and the in-flight grace', () => {
    const deployment = one<Deployment>('Deployment');
    const config = parseConfigText(one<ConfigMap>('ConfigMap').data!['c360.yaml']!, secretEnv());
    const limits = config.limits!;
    expect(limits.drainDelayMillis).toBeGreaterThanOrEqual(2 * 1000 * (deployment.spec!.template.spec!.containers[0]!.readinessProbe!.periodSeconds ?? 10));
    expect(deployment.spec!.template.spec!.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(limits.drainDelayMillis + limits.shutdownGraceMillis);
    expect(config.redis?.url).toMatch(/^redis:\/\//);
  });

  it("select the Deployment's pods from the Service, the PodDisruptionBudget and the autoscaler", () => {
    const deployment = one<Deployment>('Deployment');
    const labels = deployment.spec!.template.metadata!.labels!;
    expect(deployment.spec!.selector.matchLabels).toEqual(labels);
    expect(one<Service>('Service').spec!.selector).toEqual(labels);
    expect(one<PodDisruptionBudget>('PodDisruptionBudget').spec!.selector!.matchLabels).toEqual(labels);
    expect(one<HorizontalPodAutoscaler>('HorizontalPodAutoscaler').spec!.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata!.name,
    });
    expect(deployment.spec!.template.spec!.volumes![0]!.configMap!.name).toBe(one<ConfigMap>('ConfigMap').metadata!.name);
    expect(deployment.spec!.template.spec!.containers[0]!.envFrom![0]!.secretRef!.name).toBe(one<Secret>('Secret').metadata!.name);
  });
});

/** The Secret's keys as the container's environment. */
function secretEnv(): Record<string, string> {
  return { ...(one<Secret>('Secret').stringData ?? {}) };
}
