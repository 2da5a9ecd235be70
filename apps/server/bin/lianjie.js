#!/usr/bin/env node
import { run } from '../src/cli/lianjie.ts'; await run();
