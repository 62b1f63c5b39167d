import { type Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';

export interface DockerfileExpectations {
  /** Path of the service's entry point inside the image, e.g. services/gateway/dist/main.js. */
  entryPoint: string;
  /** Text the HEALTHCHECK command must contain (the probe it runs). */
  healthProbe: string;
  /** The workspace the production install is for. */
  workspace: string;
}

/**
 * What the runtime stage of a service image must do: run as a non-root user; run an init (tini) as PID 1
 * so SIGTERM reaches node and the service can drain; start node directly (npm swallows signals); declare
 * a HEALTHCHECK; and take its node_modules from a production-only `npm ci`, never from the build stage.
 */
export function checkDockerfile(text: string, expectations: DockerfileExpectations): string[] {
  const violations: string[] = [];
  const dockerfile = DockerfileParser.parse(text);
  const froms = dockerfile.getFROMs();
  const runtimeFrom = froms[froms.length - 1];
  if (!runtimeFrom) return ['no FROM instruction'];
  const runtimeStart = runtimeFrom.getRange().start.line;
  const runtime = dockerfile.getInstructions().filter((instruction) => instruction.getRange().start.line >= runtimeStart);
  const last = (keyword: string): Instruction | undefined => runtime.filter((instruction) => instruction.getKeyword() === keyword).at(-1);

  if (!/^node:\$\{NODE_VERSION\}-alpine$|^node:\d+(\.\d+)*-alpine/.test(`${runtimeFrom.getImageName()}:${runtimeFrom.getImageTag() ?? ''}`)) {
    violations.push(`runtime stage is not based on node:<version>-alpine: ${runtimeFrom.getImage() ?? ''}`);
  }
  const user = last('USER')?.getArgumentsContent()?.trim();
  if (!user || user === 'root' || user === '0' || user.startsWith('0:') || user.startsWith('root:')) {
    violations.push(`runtime stage runs as ${user ?? 'root (no USER)'}`);
  }
  const entrypoint = last('ENTRYPOINT')?.getArgumentsContent() ?? '';
  if (!/tini/.test(entrypoint)) violations.push('runtime stage has no init process (tini) as its ENTRYPOINT');
  if (!runtime.some((instruction) => instruction.getKeyword() === 'RUN' && /apk add[^&]*\btini\b/.test(instruction.getArgumentsContent() ?? ''))) {
    violations.push('runtime stage does not install tini');
  }
  const command = last('CMD')?.getArgumentsContent() ?? '';
  if (!command.startsWith('[') || !command.includes('"node"') || !command.includes(`"${expectations.entryPoint}"`)) {
    violations.push(`CMD must start node on ${expectations.entryPoint} in exec form, got ${command}`);
  }
  const healthcheck = dockerfile.getHEALTHCHECKs().at(-1);
  const healthcheckText = healthcheck?.getArgumentsContent() ?? '';
  if (!healthcheck || healthcheck.getRange().start.line < runtimeStart || /^NONE\b/i.test(healthcheckText)) {
    violations.push('runtime stage has no HEALTHCHECK');
  } else if (!healthcheckText.includes(expectations.healthProbe)) {
    violations.push(`HEALTHCHECK does not run ${expectations.healthProbe}`);
  }
  if (runtime.some((instruction) => instruction.getKeyword() === 'VOLUME')) {
    violations.push('runtime stage declares a VOLUME, which would hide files of a newer image on upgrade');
  }

  const productionInstall = dockerfile
    .getInstructions()
    .find((instruction) => instruction.getKeyword() === 'RUN' && /npm ci --omit=dev/.test(instruction.getArgumentsContent() ?? ''));
  if (!productionInstall || !(productionInstall.getArgumentsContent() ?? '').includes(expectations.workspace)) {
    violations.push(`no production-only npm ci for ${expectations.workspace}`);
  }
  const productionStage = froms
    .filter((from) => productionInstall && from.getRange().start.line < productionInstall.getRange().start.line)
    .at(-1)
    ?.getBuildStage();
  const copies = runtime
    .filter((instruction) => instruction.getKeyword() === 'COPY')
    .map((instruction) => ({ from: (instruction as Copy).getFromFlag()?.getValue(), sources: instruction.getArgumentsContent() ?? '' }));
  if (!productionStage || !copies.some((copy) => copy.from === productionStage)) {
    violations.push('runtime stage does not take its dependencies from the production install stage');
  }
  if (copies.some((copy) => copy.from !== productionStage && /^\/app\/?\s|node_modules/.test(copy.sources))) {
    violations.push('runtime stage copies node_modules from a stage other than the production install');
  }
  return violations;
}
