from nuki_sim.simulator.cli import main

raise SystemExit(main())
