export function init(): void {}
