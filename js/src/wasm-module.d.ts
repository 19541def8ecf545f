// The Workers entry imports the `.wasm` file as a compiled module.
declare module "*.wasm" {
	const module: WebAssembly.Module;
	export default module;
}
